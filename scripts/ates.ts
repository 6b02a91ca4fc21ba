// `npm run ates -- <command>`: operate a running aTES through its public APIs, as the person
// who signed in with `ates login` (the device authorization grant: confirmed in a browser).
import { randomBytes, randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { refreshAccessToken, revokeRefreshToken, signInWithPassword, startDeviceSignIn } from '@ates/platform/auth';
import { natsAuthorization } from '@ates/platform/bus';
import { authIssuer, publicUrl, type ServiceName, services } from '@ates/platform/config';
import { formatMoney } from '@ates/platform/money';
import { decodeJwt } from 'jose';
import { credentialsFile, forgetCredentials, readCredentials, saveCredentials } from './cliCredentials.ts';

const usage = `Usage: npm run ates -- <command> [options]

  login                                                             sign in: confirm a code in the browser; the sign-in is kept
  logout                                                            revoke the kept sign-in and forget it
  seed [--workers 20] [--managers 2] [--accountants 1] [--tasks 100]   demo accounts and tasks; some tasks get done
  shuffle                                                           reassign every open task
  close-day [--day YYYY-MM-DD]                                      pay out the day (default: today)
  balances                                                          every account's balance
  rebuild analytics                                                 replay the analytics read model from the log
  dead-letters [--service NAME]                                     list events put aside
  redrive --service NAME                                            try a service's dead letters again
  set-aside --service NAME --position N [--group G]                 a stuck consumer puts the event at N aside as a dead letter
  nats-config [--stream ATES]                                       nats-server users that may publish only their own events, and each service's BUS_URL
  status                                                            health, consumer lag, backlog of every service
  rotate-keys [--revoke]                                            sign new tokens with a new key; --revoke: the old key is compromised, its tokens stop at once`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    workers: { type: 'string', default: '20' },
    managers: { type: 'string', default: '2' },
    accountants: { type: 'string', default: '1' },
    tasks: { type: 'string', default: '100' },
    day: { type: 'string' },
    service: { type: 'string' },
    position: { type: 'string' },
    group: { type: 'string' },
    stream: { type: 'string', default: 'ATES' },
    revoke: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

class CliError extends Error {}

let accessToken: Promise<string> | undefined;
/** The cached sign-in, refreshed into an access token once per command. */
const token = () =>
  (accessToken ??= (async () => {
    const issuer = authIssuer();
    const cached = await readCredentials(issuer);
    if (!cached) throw new CliError(`Not signed in to ${issuer}: run npm run ates -- login`);
    const tokens = await refreshAccessToken({ issuer, refreshToken: cached.refreshToken }).catch(() => {
      throw new CliError(
        `Your sign-in to ${issuer} has ended (signed out, password changed, or expired): run npm run ates -- login`,
      );
    });
    // The SSO rotates refresh tokens: keep the new one.
    if (tokens.refreshToken) await saveCredentials(issuer, { ...cached, refreshToken: tokens.refreshToken });
    return tokens.accessToken;
  })());

interface Consumer {
  group: string;
  lag: number;
  stuck?: { position: number; error: string; attempts: number };
}

/** One API call; `Answer` says what the caller reads of the JSON it gets back. */
async function call<Answer>(
  service: ServiceName,
  method: string,
  path: string,
  body?: unknown,
  bearer?: string,
): Promise<Answer> {
  const response = await fetch(`${publicUrl(service)}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer ?? (await token())}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => {
    throw new CliError(`${service} is not answering at ${publicUrl(service)} — is aTES running (npm start)?`);
  });
  const payload: unknown = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new CliError(
      `${service} ${method} ${path}: ${response.status} ${(payload as { message?: string }).message ?? ''}`,
    );
  // The services' answers are not checked against a schema here: the API promises this shape.
  return payload as Answer;
}

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  process.stderr.write(`\r${label.padEnd(18)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

function count(name: keyof typeof values): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0) throw new CliError(`--${name} must be a whole number`);
  return value;
}

async function seed(): Promise<void> {
  const password = 'popug password';
  const stamp = Date.now().toString(36);
  const plan = [
    ...Array.from({ length: count('workers') }, (_, n) => ({ role: 'worker', name: `Worker Popug ${n + 1}` })),
    ...Array.from({ length: count('managers') }, (_, n) => ({ role: 'manager', name: `Manager Popug ${n + 1}` })),
    ...Array.from({ length: count('accountants') }, (_, n) => ({
      role: 'accountant',
      name: `Accountant Popug ${n + 1}`,
    })),
  ];
  const created: { id: string; email: string; role: string }[] = [];
  for (const [index, person] of plan.entries()) {
    const email = `${person.role}${index + 1}.${stamp}@uberpopug.test`;
    const account = await call<{ id: string; email: string }>('auth', 'POST', '/api/accounts', {
      email,
      full_name: person.name,
      role: person.role,
      password,
    });
    created.push({ id: account.id, email, role: person.role });
    progress('accounts', index + 1, plan.length);
  }
  const tasks = count('tasks');
  let made = 0;
  for (let tries = 0; made < tasks; tries += 1) {
    try {
      await call<unknown>('tasks', 'POST', '/api/tasks', {
        title: `Demo task ${made + 1}`,
        jira_id: `UBERPOP-${1000 + made}`,
        description: 'Seeded by the ates CLI',
      });
      made += 1;
      progress('tasks', made, tasks);
    } catch (error) {
      // The tasks service learns of the new accounts through the bus; give it a moment.
      if (tries > 50 || !(error instanceof CliError) || !error.message.includes('409')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const workers = created.filter((account) => account.role !== 'manager');
  let completed = 0;
  for (const [index, account] of workers.entries()) {
    // Demo accounts whose passwords seed itself chose: it completes tasks as them, so it signs
    // them in with their passwords. People sign in with `ates login`.
    const bearer = (await signInWithPassword({ issuer: authIssuer(), email: account.email, password })).accessToken;
    const mine = await call<{ tasks: { id: string }[] }>(
      'tasks',
      'GET',
      '/api/tasks/mine?status=open',
      undefined,
      bearer,
    );
    for (const task of mine.tasks as { id: string }[]) {
      if (randomInt(2) === 0) continue;
      await call<unknown>('tasks', 'POST', `/api/tasks/${task.id}/complete`, undefined, bearer);
      completed += 1;
    }
    progress('completing', index + 1, workers.length);
  }
  console.log(`Seeded ${created.length} accounts (password "${password}") and ${made} tasks; ${completed} done.`);
}

async function status(): Promise<void> {
  for (const name of Object.keys(services) as ServiceName[]) {
    const ready = await fetch(`${publicUrl(name)}/readyz`).then(
      (r) => r.json() as Promise<{ status: string }>,
      () => ({ status: 'down' }),
    );
    let detail = '';
    if (ready.status !== 'down') {
      const ops = await call<{
        bus: string;
        outbox_backlog: number;
        dead_letters: number;
        consumers: Consumer[];
        days_failing_to_close?: { day: string; attempts: number; error: string; next_attempt_at: string }[];
      }>(name, 'GET', '/api/ops/status');
      const consumers = ops.consumers as {
        group: string;
        lag: number;
        stuck?: { position: number; error: string; attempts: number };
      }[];
      detail = `bus ${ops.bus}; outbox ${ops.outbox_backlog}; dead letters ${ops.dead_letters}; ${consumers.map((c) => `${c.group} lag ${c.lag}`).join(', ') || 'no consumers'}`;
      for (const { group, stuck } of consumers.filter((c) => c.stuck)) {
        detail += `\n${''.padEnd(25)}${group} is stuck at position ${stuck!.position} (${stuck!.attempts} tries: ${stuck!.error}); ates set-aside --service ${name} --position ${stuck!.position}`;
      }
      for (const failed of (ops.days_failing_to_close ?? []) as {
        day: string;
        attempts: number;
        error: string;
        next_attempt_at: string;
      }[]) {
        detail += `\n${''.padEnd(25)}closing ${failed.day} failed ${failed.attempts}× (${failed.error}); next try ${failed.next_attempt_at}`;
      }
    }
    console.log(`${name.padEnd(14)} ${ready.status.padEnd(10)} ${detail}`);
  }
}

function serviceOption(): ServiceName {
  const name = values.service as ServiceName | undefined;
  if (!name || !(name in services)) throw new CliError(`--service must be one of ${Object.keys(services).join(', ')}`);
  return name;
}

const commands: Record<string, () => Promise<void>> = {
  async login() {
    const issuer = authIssuer();
    const signIn = await startDeviceSignIn(issuer).catch(() => {
      throw new CliError(`The SSO is not answering at ${issuer} — is aTES running (npm start)?`);
    });
    console.log(
      `To sign in, open ${signIn.verificationUri}\nand check that it shows the code ${signIn.userCode}. Waiting (up to ${Math.round(signIn.expiresInSeconds / 60)} minutes)…`,
    );
    const tokens = await signIn.finished().catch((error: unknown) => {
      throw new CliError(`The sign-in did not finish: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!tokens.refreshToken) throw new CliError('The SSO gave no refresh token; the sign-in cannot be kept');
    const claims = decodeJwt(tokens.accessToken);
    const email = String(claims['email'] ?? '');
    await saveCredentials(issuer, { refreshToken: tokens.refreshToken, email });
    console.log(
      `Signed in as ${email} (${String(claims['role'] ?? '?')}). The sign-in is kept in ${credentialsFile()}.`,
    );
  },
  async logout() {
    const issuer = authIssuer();
    const cached = await readCredentials(issuer);
    if (!cached) {
      console.log(`Not signed in to ${issuer}.`);
      return;
    }
    await revokeRefreshToken(issuer, cached.refreshToken).catch(() => undefined);
    await forgetCredentials(issuer);
    console.log(`Signed out ${cached.email} and forgot the sign-in.`);
  },
  seed,
  status,
  async shuffle() {
    console.log(
      `Reassigned ${(await call<{ reassigned: number }>('tasks', 'POST', '/api/tasks/shuffle')).reassigned} open tasks.`,
    );
  },
  async 'close-day'() {
    const day = values.day ?? (await call<{ day: string }>('accounting', 'GET', '/api/me')).day;
    const closed = await call<{ already_closed: boolean; payouts: number; paid_out: number }>(
      'accounting',
      'POST',
      `/api/days/${day}/close`,
    );
    console.log(
      closed.already_closed
        ? `${day} was already closed.`
        : `Closed ${day}: ${closed.payouts} payouts, ${formatMoney(closed.paid_out)} paid out.`,
    );
  },
  async balances() {
    for (let page = 1; ; page += 1) {
      const {
        accounts,
        total,
        page_size: size,
      } = await call<{ accounts: { name: string; role: string; balance: number }[]; total: number; page_size: number }>(
        'accounting',
        'GET',
        `/api/accounts?page=${page}`,
      );
      for (const account of accounts as { name: string; role: string; balance: number }[])
        console.log(
          `${account.name.padEnd(28)} ${account.role.padEnd(11)} ${formatMoney(account.balance).padStart(12)}`,
        );
      if (page * size >= total) break;
    }
  },
  async rebuild() {
    if (positionals[1] !== 'analytics')
      throw new CliError('Only the analytics read model can be rebuilt: npm run ates -- rebuild analytics');
    await call<unknown>('analytics', 'POST', '/api/rebuild');
    for (;;) {
      const { consumers } = await call<{ consumers: Consumer[] }>('analytics', 'GET', '/api/ops/status');
      const lag = (consumers as { lag: number }[])[0]?.lag ?? 0;
      process.stderr.write(`\rreplaying… ${lag} events to go   `);
      if (lag === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.log('\nAnalytics rebuilt from the event log.');
  },
  async 'dead-letters'() {
    for (const name of values.service ? [serviceOption()] : (Object.keys(services) as ServiceName[])) {
      const { dead_letters: letters } = await call<{
        dead_letters: { id: number; consumerGroup: string; eventName: string; reason: string }[];
      }>(name, 'GET', '/api/ops/dead-letters');
      for (const letter of letters as { id: number; consumerGroup: string; eventName: string; reason: string }[]) {
        console.log(`${name}#${letter.id} ${letter.consumerGroup} ${letter.eventName ?? '?'}: ${letter.reason}`);
      }
    }
  },
  async 'rotate-keys'() {
    const rotated = await call<{ signing_key_id: string; revoked_key_ids: string[] }>(
      'auth',
      'POST',
      '/api/ops/signing-keys/rotate',
      {
        revoke: values.revoke === true,
      },
    );
    console.log(
      values.revoke
        ? `Tokens are now signed with key ${rotated.signing_key_id}; revoked ${(rotated.revoked_key_ids as string[]).join(', ')}: its tokens stop working on every service within seconds (sign in again).`
        : `Tokens are now signed with key ${rotated.signing_key_id}; tokens signed before stay valid until they expire.`,
    );
  },
  async 'set-aside'() {
    const name = serviceOption();
    const position = Number(values.position);
    if (!Number.isSafeInteger(position) || position < 1)
      throw new CliError(
        '--position must be the bus position of the event, a whole number from 1 (ates status shows where a group is stuck)',
      );
    const { consumers } = await call<{ consumers: Consumer[] }>(name, 'GET', '/api/ops/status');
    const groups = (consumers as { group: string; stuck?: { position: number } }[]).map((c) => c.group);
    const group =
      values.group ??
      (consumers as { group: string; stuck?: { position: number } }[]).find((c) => c.stuck?.position === position)
        ?.group ??
      (groups.length === 1 ? groups[0] : undefined);
    if (!group) throw new CliError(`${name} has the consumer groups ${groups.join(', ')}: say which with --group`);
    console.log(
      (await call<{ message: string }>(name, 'POST', '/api/ops/dead-letters/set-aside', { group, position })).message,
    );
  },
  async 'nats-config'() {
    const secret = () => randomBytes(18).toString('base64url');
    const names = Object.keys(services).filter((name) => name !== 'bus');
    const identities = {
      stream: values.stream!,
      admin: { user: 'ates-admin', password: secret() },
      services: Object.fromEntries(names.map((name) => [name, secret()])),
    };
    console.log(
      `# Include in nats-server.conf (JetStream enabled). Keep it secret: it holds passwords.\n${natsAuthorization(identities)}`,
    );
    console.log("# Each service's environment (host and port are yours):");
    for (const name of names)
      console.log(`${name.toUpperCase()}_BUS_URL=nats://${name}:${identities.services[name]}@nats.example:4222`);
    console.log(
      `# Operators and tools (and the first start, which creates the stream ${identities.stream}):\nBUS_URL=nats://ates-admin:${identities.admin.password}@nats.example:4222\nBUS_STREAM=${identities.stream}`,
    );
  },
  async redrive() {
    const name = serviceOption();
    console.log(
      `Asked ${name} to retry ${(await call<{ requested: number }>(name, 'POST', '/api/ops/dead-letters/redrive', {})).requested} dead letters.`,
    );
  },
};

const command = positionals[0];
if (values.help || !command || !(command in commands)) {
  console.log(usage);
  process.exit(command && !values.help ? 2 : 0);
}
try {
  await commands[command]!();
} catch (error) {
  console.error(error instanceof CliError ? error.message : error);
  process.exit(1);
}
