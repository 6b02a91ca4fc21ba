// `npm run build` (and `npm ci`, through `prepare`): the services, the supervisor and the CLI
// compiled to JavaScript. `npm start` compiles again, so it always runs the current sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScript, buildServices, serviceNames } from '../tools/build/buildServices.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const names = serviceNames(root);
await Promise.all([buildServices(root, names), buildScript(root, 'supervise'), buildScript(root, 'ates')]);
console.log(`Built ${names.length} services, the supervisor and the CLI in ${Date.now() - started} ms`);
