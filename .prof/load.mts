import autocannon from 'autocannon';
import { signInWithPassword } from '/work/main/packages/platform/src/auth/index.ts';
const issuer = 'http://127.0.0.1:3100';
const admin = await signInWithPassword({ issuer, email: 'admin@uberpopug.test', password: 'popug-admin' });
const headers = { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' };
for (let n = 0; n < 20; n += 1) {
  await fetch(`${issuer}/api/accounts`, { method: 'POST', headers, body: JSON.stringify({ email: `p${n}.${Date.now()}@uberpopug.test`, full_name: `P ${n}`, role: 'worker', password: 'bench password' }) });
}
const tasksUrl = 'http://127.0.0.1:3101';
while ((await fetch(`${tasksUrl}/api/tasks`, { method: 'POST', headers, body: '{"title":"warm-up"}' })).status !== 201) await new Promise((r) => setTimeout(r, 200));
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const ticks = () => {
  const out = new Map<string, number>();
  for (const pid of execSync('pgrep -f "node|postgres"').toString().trim().split('\n')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const name = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').replace(/.*services\/(\w+).*/, '$1').replace(/postgres: .*/, 'postgres').slice(0, 40);
      out.set(`${pid} ${name}`, Number(stat[11]) + Number(stat[12]));
    } catch {}
  }
  return out;
};
const t0 = ticks();
const result = await autocannon({ url: `${tasksUrl}/api/tasks`, connections: 32, duration: 10, method: 'POST', headers, body: JSON.stringify({ title: 'Bench task', description: 'created under load' }) });
const t1 = ticks();
const per = new Map<string, number>();
for (const [k, v] of t1) { const name = k.split(' ').slice(1).join(' '); per.set(name, (per.get(name) ?? 0) + v - (t0.get(k) ?? 0)); }
console.log([...per].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, t]) => `${n}: ${(t / 10).toFixed(0)}%`).join(' | '));
console.log(`create: ${result.requests.average} req/s p50 ${result.latency.p50} p99 ${result.latency.p99} non2xx ${result.non2xx}`);
