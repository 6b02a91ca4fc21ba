import { readFileSync } from 'node:fs';
const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas; const samples = profile.samples;
const total = dt.reduce((a, b) => a + b, 0);
for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + dt[i]);
const byFn = new Map(); const byPkg = new Map();
for (const [id, t] of self) {
  const n = byId.get(id); const cf = n.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, 'nm:').replace('file:///work/main/', '')}:${cf.lineNumber}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
  const pkg = cf.url.includes('node_modules/') ? cf.url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1') : cf.url.startsWith('node:') ? 'node-internal' : cf.url ? cf.url.replace('file:///work/main/', '').split('/').slice(0, 2).join('/') : `(${cf.functionName})`;
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
}
const show = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).forEach(([name, t]) => console.log(`${(100 * t / total).toFixed(1).padStart(5)}%  ${name}`));
console.log('total ms', (total / 1000).toFixed(0)); console.log('--- by package'); show(byPkg, 18); console.log('--- by function'); show(byFn, 25);
