import { spawn } from 'node:child_process';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refreshAccessToken } from '@ates/platform/auth';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountingService } from '../services/accounting/src/service.ts';
import { developmentAdmin } from '../services/auth/src/settings.ts';
import { approveDeviceSignIn } from '../tools/test/approveDeviceSignIn.ts';
import { startAtes, type TestAtes } from '../tools/test/ates.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let ates: TestAtes;
let configHome: string;

beforeAll(async () => {
  ates = await startAtes([accountingService], { ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000' });
  configHome = await mkdtemp(join(tmpdir(), 'ates-cli-'));
});

/** Runs `ates <args>` as a person would; `onOutput` sees what it prints as it prints it. */
function ates$(
  args: string[],
  onOutput?: (text: string) => void,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'ates.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...ates.env, XDG_CONFIG_HOME: configHome, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    onOutput?.(out);
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

const credentials = () => join(configHome, 'ates', 'credentials.json');

describe('the command line signs in like gh auth login', () => {
  it('signs in with a code confirmed in the browser, and keeps the sign-in for the user alone', async () => {
    let approving: Promise<void> | undefined;
    const login = await ates$(['login'], (text) => {
      const link = /open (http\S+)/.exec(text)?.[1];
      if (link && !approving) approving = approveDeviceSignIn(link, developmentAdmin);
    });
    await approving;
    expect({ code: login.code, said: login.out.includes(`Signed in as ${developmentAdmin.email} (admin)`) }).toEqual({
      code: 0,
      said: true,
    });
    expect((await stat(credentials())).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(await readFile(credentials(), 'utf8')) as object)).toEqual([ates.issuer]);
  }, 120_000);

  it('reuses the kept sign-in for every command', async () => {
    const run = await ates$(['dead-letters', '--service', 'auth']);
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
  }, 60_000);

  it('says so when there is nothing to list', async () => {
    expect((await ates$(['dead-letters', '--service', 'auth'])).out).toBe('No dead letters in auth.\n');
  }, 60_000);

  it('lists balances under a header, with emails and a total', async () => {
    const lines = (await ates$(['balances'])).out.trim().split('\n');
    expect({ header: lines[0]!.split(/\s+/), last: lines.at(-1) }).toEqual({
      header: ['NAME', 'EMAIL', 'ROLE', 'BALANCE'],
      last: `${lines.length - 3} accounts, $0.00 in all.`,
    });
  }, 60_000);

  it('prints JSON for programs when asked', async () => {
    const listing = JSON.parse((await ates$(['balances', '--json'])).out) as { accounts: { email: string }[] };
    expect(listing.accounts.map((account) => account.email)).toContain(developmentAdmin.email);
  }, 60_000);

  it('forgets the sign-in on logout and revokes it at the SSO', async () => {
    const kept = JSON.parse(await readFile(credentials(), 'utf8')) as Record<string, { refreshToken: string }>;
    const logout = await ates$(['logout']);
    expect(logout.code).toBe(0);
    await expect(stat(credentials())).rejects.toThrow();
    await expect(
      refreshAccessToken({ issuer: ates.issuer, refreshToken: kept[ates.issuer]!.refreshToken }),
    ).rejects.toThrow();
    const after = await ates$(['dead-letters', '--service', 'auth']);
    expect({ code: after.code, told: after.err.includes('Not signed in') }).toEqual({ code: 1, told: true });
  }, 60_000);
});

describe('the command line when something is wrong', () => {
  it('names an unknown command and shows the usage', async () => {
    const run = await ates$(['frobnicate']);
    expect({
      code: run.code,
      named: run.err.includes("unknown command 'frobnicate'"),
      usage: run.err.includes('Usage: ates'),
    }).toEqual({
      code: 1,
      named: true,
      usage: true,
    });
  }, 60_000);

  it('refuses a negative count in one line, without a stack trace', async () => {
    const run = await ates$(['seed', '--workers', '-3']);
    expect({ code: run.code, first: run.err.split('\n')[0] }).toEqual({
      code: 1,
      first: "error: option '--workers <n>' argument '-3' is invalid. it must be a whole number from 0.",
    });
  }, 60_000);

  it('says in one line that aTES is not running', async () => {
    const run = await ates$(['status'], undefined, {
      AUTH_PORT: '1',
      TASKS_PORT: '1',
      ACCOUNTING_PORT: '1',
      ANALYTICS_PORT: '1',
      NOTIFICATIONS_PORT: '1',
    });
    expect({ code: run.code, err: run.err }).toEqual({
      code: 1,
      err: 'aTES is not running: no service answers (the SSO would be at http://127.0.0.1:1); npm start\n',
    });
  }, 60_000);
});
