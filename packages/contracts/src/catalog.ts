import type { EventDefinition } from './defineEvent.ts';
import { envelopeSchema } from './envelope.ts';
import { registry, schemaKey } from './registry.ts';

/** The JSON Schema of a whole envelope of one event version, as published. */
export function publishedSchema(definition: EventDefinition): object {
  return JSON.parse(JSON.stringify(envelopeSchema(definition.name, definition.version, definition.data))) as object;
}

/** An AsyncAPI 3 document describing every channel and message version in the registry. */
export function asyncApiDocument(): object {
  const names = [...new Set(registry.map((definition) => definition.name))];
  const channels = Object.fromEntries(
    names.map((name) => [
      name,
      {
        address: `ates.${name}`,
        messages: Object.fromEntries(
          registry
            .filter((definition) => definition.name === name)
            .map((definition) => {
              const key = schemaKey(definition.name, definition.version);
              return [key, { $ref: `#/components/messages/${key}` }];
            }),
        ),
      },
    ]),
  );
  const operations = Object.fromEntries(
    names.map((name) => {
      const producer = registry.find((definition) => definition.name === name)?.producer ?? 'unknown';
      return [`${producer}.publishes.${name}`, { action: 'send', channel: { $ref: `#/channels/${name}` } }];
    }),
  );
  const messages = Object.fromEntries(
    registry.map((definition) => [
      schemaKey(definition.name, definition.version),
      {
        name: definition.name,
        title: `${definition.name} v${definition.version}`,
        summary: definition.description,
        contentType: 'application/json',
        payload: publishedSchema(definition),
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'aTES events',
      version: '1.0.0',
      description: 'Every event the services of aTES exchange, by name and version. Generated from packages/contracts.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}

/** A human-readable catalog: who publishes what, and which fields each version carries. */
export function eventCatalogMarkdown(): string {
  const lines = [
    '# aTES event catalog',
    '',
    'Generated from `packages/contracts` by `npm run asyncapi`; do not edit by hand.',
    '',
  ];
  lines.push('| event | version | producer | aggregate | what it means |', '|---|---|---|---|---|');
  for (const definition of registry) {
    lines.push(
      `| \`${definition.name}\` | v${definition.version} | ${definition.producer} | ${definition.aggregate} | ${definition.description} |`,
    );
  }
  for (const definition of registry) {
    lines.push(
      '',
      `## ${definition.name} v${definition.version}`,
      '',
      definition.description,
      '',
      '| field | type | notes |',
      '|---|---|---|',
    );
    const properties = definition.data.properties as Record<
      string,
      { type?: string; format?: string; description?: string; anyOf?: { type?: string; const?: unknown }[] }
    >;
    for (const [field, schema] of Object.entries(properties)) {
      const type = schema.anyOf
        ? schema.anyOf
            .map((option) => (option.const !== undefined ? JSON.stringify(option.const) : (option.type ?? '?')))
            .join(' \\| ')
        : `${schema.type ?? '?'}${schema.format ? ` (${schema.format})` : ''}`;
      lines.push(`| \`${field}\` | ${type} | ${schema.description ?? ''} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
