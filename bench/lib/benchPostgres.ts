import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@ates/platform/embedded';
import { freePort } from '@ates/platform/runtime';

export { freePort };

/**
 * The same embedded PostgreSQL `npm start` uses, with its default durability settings,
 * in a throw-away directory: benchmarks measure the default path. `settings` adds
 * instruments, never durability changes.
 */
export async function startBenchPostgres(
  settings: Record<string, string> = {},
): Promise<{ serverUrl: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ates-bench-pg-'));
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    settings: { shared_buffers: '256MB', ...settings },
  });
  return {
    serverUrl: server.serverUrl,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
