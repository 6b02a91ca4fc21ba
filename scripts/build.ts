// `npm run build`: every service compiled to JavaScript (npm start does this itself).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScript, buildServices, serviceNames } from '../tools/build/buildServices.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const names = serviceNames(root);
await Promise.all([buildServices(root, names), buildScript(root, 'supervise')]);
console.log(`Built ${names.length} services and the supervisor in ${Date.now() - started} ms`);
