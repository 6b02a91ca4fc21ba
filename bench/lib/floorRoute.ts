import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from '@ates/platform/runtime';

/** Starts the floor route (see floor/floorServer.ts) in a process of its own, as the services run. */
export interface FloorRoute {
  url: string;
  /** Runs a load against the route, then stops it: it must not take CPU from what runs next. */
  measure<T>(load: () => PromiseLike<T>): Promise<T>;
}

export async function startFloorRoute(databaseUrl: string): Promise<FloorRoute> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../floor/floorServer.ts', import.meta.url))],
    // The IPC channel ends it if the benchmark dies first.
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, FLOOR_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  const url = `http://127.0.0.1:${port}`;
  for (
    let tries = 0;
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ));
    tries += 1
  ) {
    if (tries > 200 || child.exitCode !== null) {
      await stop();
      throw new Error('the floor route did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async measure(load) {
      try {
        return await load();
      } finally {
        await stop();
      }
    },
  };
}
