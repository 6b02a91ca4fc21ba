import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../tools/test/freePort.ts';
import { waitFor } from '../tools/test/waitFor.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `npm start` as a person runs it: in a terminal's process group, stopped with Ctrl-C. */
describe('npm start', () => {
  let start: ChildProcess;
  let output = '';
  let exitCode: number | null | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'ates-start-'));
  // PostgreSQL runs as its own system user when the tests run as root: it must reach the directory.
  chmodSync(dataDir, 0o755);

  beforeAll(async () => {
    const ports: Record<string, string> = {};
    for (const name of ['AUTH', 'TASKS', 'ACCOUNTING', 'ANALYTICS', 'NOTIFICATIONS', 'EMBEDDED_POSTGRES', 'SMTP_SINK'])
      ports[`${name}_PORT`] = String(await freePort());
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...ports,
      ATES_DATA_DIR: dataDir,
      TASKS_PUBLIC_URL: 'https://tasks.uberpopug.test',
      ATES_LOG_FORMAT: 'json',
    };
    for (const name of Object.keys(env)) if (name.endsWith('DATABASE_URL') || name === 'BUS_URL') delete env[name];
    delete env['VITEST'];
    delete env['NODE_ENV'];
    start = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start.ts')], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [start.stdout, start.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk));
    start.on('exit', (code) => (exitCode = code));
    await waitFor('the banner', () => output.includes('Press Ctrl-C to stop.') || exitCode !== undefined, 180_000);
  }, 200_000);

  afterAll(() => {
    if (exitCode === undefined) process.kill(-start.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows progress before the banner', () => {
    expect(output).toMatch(/PostgreSQL +ready on 127\.0\.0\.1:\d+ \([\d.]+ s\)/);
  });

  it('announces every service as ready, with what it is for, at its public URL', () => {
    const banner = output.slice(output.indexOf('aTES is running'));
    expect(banner).toContain('tasks          https://tasks.uberpopug.test/');
    expect(banner).toContain('all tasks, My tasks, Shuffle');
  });

  it('compiles the services and runs them as JavaScript', () => {
    expect(output).toMatch(/services +compiled to JavaScript/);
  });

  it('stops the services, then PostgreSQL, on Ctrl-C, and says the data is kept', async () => {
    // Ctrl-C signals the terminal's whole foreground process group.
    process.kill(-start.pid!, 'SIGINT');
    await waitFor('npm start to end', () => exitCode !== undefined, 60_000);
    expect({ exitCode, last: output.trim().split('\n').at(-1) }).toEqual({
      exitCode: 0,
      last: 'Stopped. Data is kept for the next start.',
    });
  }, 70_000);

  it('prints no stack trace from start to stop', () => {
    expect(output.split('\n').filter((line) => /^\s+at /.test(line) || line.includes('"stack"'))).toEqual([]);
  });
});
