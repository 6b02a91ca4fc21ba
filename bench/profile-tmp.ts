import { spawn } from 'node:child_process';
import { signInWithPassword } from '@ates/platform/auth';
import autocannon from 'autocannon';
import { startBenchPostgres, freePort } from '/work/main/bench/lib/benchPostgres.ts';
import { spawnService } from '/work/main/bench/lib/spawnService.ts';

const pg = await startBenchPostgres();
const env = { DATABASE_URL: pg.serverUrl, AUTH_PORT: String(await freePort()), TASKS_PORT: String(await freePort()) };
const auth = await spawnService('auth', env);
const tasks = await spawnService('tasks', { ...env, NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/prof' });
const issuer = `http://127.0.0.1:${env.AUTH_PORT}`;
const admin = await signInWithPassword({ issuer, email: 'admin@uberpopug.test', password: 'popug-admin' });
for (let n = 0; n < 5; n++) await fetch(`${issuer}/api/accounts`, { method: 'POST', headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: `p${n}@x.test`, full_name: `P ${n}`, role: 'worker', password: 'bench password' }) });
const url = `http://127.0.0.1:${env.TASKS_PORT}/api/tasks`;
const headers = { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' };
while ((await fetch(url, { method: 'POST', headers, body: '{"title":"w"}' })).status !== 201) await new Promise((r) => setTimeout(r, 200));
const r = await autocannon({ url, connections: 32, duration: 8, method: 'POST', headers, body: '{"title":"Bench task"}' });
console.log('req/s', r.requests.average, 'p99', r.latency.p99);
await tasks.stop(); await auth.stop(); await pg.stop();
