import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/embedded/index.ts';
import { freePort } from '../../src/runtime/index.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const canSignIn = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
};

describe('the embedded PostgreSQL', () => {
  it('gets a superuser password of its own, kept in its data directory for its owner only, and listens on loopback', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ates-embedded-'));
    dirs.push(dataDir);
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, settings: { fsync: 'off' } });
    try {
      const password = (await readFile(join(dataDir, 'ates-superuser-password'), 'utf8')).trim();
      const { mode } = await stat(join(dataDir, 'ates-superuser-password'));
      expect({
        inUrl: first.serverUrl.includes(encodeURIComponent(password)),
        legacy: password === 'ates-embedded',
        mode: mode & 0o777,
      }).toEqual({ inUrl: true, legacy: false, mode: 0o600 });
      expect(await canSignIn(first.serverUrl.replace(encodeURIComponent(password), 'ates-embedded'))).toBe(false);
      const client = new pg.Client({ connectionString: first.serverUrl });
      await client.connect();
      const { rows } = await client.query<{ listen_addresses: string }>('SHOW listen_addresses');
      await client.end();
      expect(rows[0]!.listen_addresses).toBe('127.0.0.1');
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedPostgres({ dataDir, port, settings: { fsync: 'off' } });
    try {
      expect(await canSignIn(again.serverUrl)).toBe(true);
    } finally {
      await again.stop();
    }
  }, 120_000);
});
