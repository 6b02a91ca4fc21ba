import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncApiDocument, eventCatalogMarkdown, publishedSchema, registry, schemaKey } from '../src/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Published versions are frozen: a snapshot is written once and never overwritten,
// so the contract test catches any later edit of that version.
mkdirSync(join(root, 'schemas'), { recursive: true });
for (const definition of registry) {
  const file = join(root, 'schemas', `${schemaKey(definition.name, definition.version)}.json`);
  if (!existsSync(file)) {
    writeFileSync(file, `${JSON.stringify(publishedSchema(definition), null, 2)}\n`);
    console.log(`published ${file}`);
  }
}
writeFileSync(join(root, 'asyncapi.json'), `${JSON.stringify(asyncApiDocument(), null, 2)}\n`);
writeFileSync(join(root, 'EVENTS.md'), eventCatalogMarkdown());
console.log('wrote asyncapi.json and EVENTS.md');
