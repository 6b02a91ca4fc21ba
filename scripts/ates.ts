// `npm run ates -- <command>`: operate a running aTES through its public APIs, as the person
// who signed in with `ates login` (the device authorization grant: confirmed in a browser).
// Every expected failure is one line and a non-zero exit; `--debug` adds the stack.
import { randomBytes, randomInt } from 'node:crypto';
import { authIssuer, publicUrl, type ServiceName, services } from '@ates/platform/config';
import { formatMoney } from '@ates/platform/money';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliError, connectApi, notRunning } from '../tools/cli/api.ts';
import { credentialsFile, forgetCredentials, readCredentials, saveCredentials } from '../tools/cli/credentials.ts';
import { printJson, printTable } from '../tools/cli/output.ts';

// The sign-in stack (openid-client, jose) and the progress bars load only for the commands
// that use them: every other command, and --help, starts without them.
const signIn = () => import('@ates/platform/auth');

interface Consumer {
  group: string;
  lag: number;
  /** Partition → the member (`<host>-<pid>-<random>`) holding it, when several share the group. */
  partitions?: Record<string, string>;
  stuck?: { position: number; error: string; attempts: number };
}

interface OpsStatus {
  bus: string;
  outbox_backlog: number;
  dead_letters: number;
  consumers: Consumer[];
  days_failing_to_close?: { day: string; attempts: number; error: string; next_attempt_at: string }[];
}

interface DeadLetter {
  id: number;
  consumerGroup: string;
  eventName: string | null;
  reason: string;
}

const api = connectApi();
const serviceNames = Object.keys(services) as ServiceName[];

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new InvalidArgumentError('it must be a whole number from 0.');
  return number;
}

function position(value: string): number {
  const number = wholeNumber(value);
  if (number < 1)
    throw new InvalidArgumentError('it is a bus position, from 1 (ates status shows where a group is stuck).');
  return number;
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('use YYYY-MM-DD.');
  return value;
}

const serviceOption = () => new Option('--service <name>', 'one service').choices(serviceNames);
const jsonOption = () => new Option('--json', 'print JSON instead of a table');
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const program = new Command('ates')
  .description('Operate a running aTES through its APIs, with your role (sign in first: ates login).')
  .option('--debug', 'show stack traces of failures')
  .showHelpAfterError('(npm run ates -- --help lists every command and option)')
  .configureOutput({ outputError: (text, write) => write(text) })
  .exitOverride();

program
  .command('login')
  .description('sign in: confirm a code in the browser; the sign-in is kept')
  .action(async () => {
    const issuer = authIssuer();
    const { startDeviceSignIn } = await signIn();
    const device = await startDeviceSignIn(issuer).catch(() => {
      throw notRunning('auth');
    });
    console.log(
      `To sign in, open ${device.verificationUri}\nand check that it shows the code ${device.userCode}. Waiting (up to ${Math.round(device.expiresInSeconds / 60)} minutes)…`,
    );
    const tokens = await device.finished().catch((error: unknown) => {
      throw new CliError(`The sign-in did not finish: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!tokens.refreshToken) throw new CliError('The SSO gave no refresh token; the sign-in cannot be kept');
    const { decodeJwt } = await import('jose');
    const claims = decodeJwt(tokens.accessToken);
    const email = String(claims['email'] ?? '');
    await saveCredentials(issuer, { refreshToken: tokens.refreshToken, email });
    console.log(
      `Signed in as ${email} (${String(claims['role'] ?? '?')}). The sign-in is kept in ${credentialsFile()}.`,
    );
  });

program
  .command('logout')
  .description('revoke the kept sign-in and forget it')
  .action(async () => {
    const issuer = authIssuer();
    const kept = await readCredentials(issuer);
    if (!kept) {
      console.log(`Not signed in to ${issuer}.`);
      return;
    }
    const { revokeRefreshToken } = await signIn();
    await revokeRefreshToken(issuer, kept.refreshToken).catch(() => undefined);
    await forgetCredentials(issuer);
    console.log(`Signed out ${kept.email} and forgot the sign-in.`);
  });

program
  .command('seed')
  .description('demo accounts and tasks; about half the tasks get done')
  .addOption(new Option('--workers <n>', 'workers').argParser(wholeNumber).default(20))
  .addOption(new Option('--managers <n>', 'managers').argParser(wholeNumber).default(2))
  .addOption(new Option('--accountants <n>', 'accountants').argParser(wholeNumber).default(1))
  .addOption(new Option('--tasks <n>', 'tasks').argParser(wholeNumber).default(100))
  .addOption(jsonOption())
  .action(
    async (options: { workers: number; managers: number; accountants: number; tasks: number; json?: boolean }) => {
      const { signInWithPassword } = await signIn();
      const { progressBar } = await import('../tools/cli/progressBar.ts');
      const password = 'popug password';
      const stamp = Date.now().toString(36);
      const plan = [
        ...Array.from({ length: options.workers }, (_, n) => ({ role: 'worker', name: `Worker Popug ${n + 1}` })),
        ...Array.from({ length: options.managers }, (_, n) => ({ role: 'manager', name: `Manager Popug ${n + 1}` })),
        ...Array.from({ length: options.accountants }, (_, n) => ({
          role: 'accountant',
          name: `Accountant Popug ${n + 1}`,
        })),
      ];
      const created: { id: string; email: string; role: string; name: string }[] = [];
      const accounts = progressBar('accounts', plan.length);
      for (const [index, person] of plan.entries()) {
        const email = `${person.role}${index + 1}.${stamp}@uberpopug.test`;
        const body = { email, full_name: person.name, role: person.role, password };
        const account = await api.call<{ id: string }>('auth', 'POST', '/api/accounts', body);
        created.push({ id: account.id, email, role: person.role, name: person.name });
        accounts.tick();
      }
      accounts.stop();
      let made = 0;
      const tasks = progressBar('tasks', options.tasks);
      for (let tries = 0; made < options.tasks; tries += 1) {
        try {
          await api.call('tasks', 'POST', '/api/tasks', {
            title: `Demo task ${made + 1}`,
            jira_id: `UBERPOP-${1000 + made}`,
            description: 'Seeded by the ates CLI',
          });
          made += 1;
          tasks.tick();
        } catch (error) {
          // The tasks service learns of the new accounts through the bus; give it a moment.
          if (tries > 50 || !(error instanceof CliError) || !error.message.includes('(409)')) throw error;
          await wait(200);
        }
      }
      tasks.stop();
      const takers = created.filter((account) => account.role !== 'manager');
      let completed = 0;
      const completing = progressBar('completing', takers.length);
      for (const account of takers) {
        // Demo accounts whose passwords seed itself chose: it completes tasks as them, so it signs
        // them in with their passwords. People sign in with `ates login`.
        const bearer = (await signInWithPassword({ issuer: authIssuer(), email: account.email, password })).accessToken;
        const mine = await api.call<{ tasks: { id: string }[] }>(
          'tasks',
          'GET',
          '/api/tasks/mine?status=open',
          undefined,
          bearer,
        );
        for (const task of mine.tasks) {
          if (randomInt(2) === 0) continue;
          await api.call('tasks', 'POST', `/api/tasks/${task.id}/complete`, undefined, bearer);
          completed += 1;
        }
        completing.tick();
      }
      completing.stop();
      if (options.json) return printJson({ password, accounts: created, tasks: made, completed });
      printTable(
        created,
        [
          { title: 'ROLE', value: (account) => account.role },
          { title: 'NAME', value: (account) => account.name },
          { title: 'EMAIL', value: (account) => account.email },
        ],
        'No accounts were asked for.',
      );
      console.log(`\nSeeded ${created.length} accounts (password "${password}") and ${made} tasks; ${completed} done.`);
    },
  );

program
  .command('shuffle')
  .description('reassign every open task to a random popug')
  .action(async () => {
    const { reassigned } = await api.call<{ reassigned: number }>('tasks', 'POST', '/api/tasks/shuffle');
    console.log(reassigned === 0 ? 'No open tasks to reassign.' : `Reassigned ${reassigned} open tasks.`);
  });

program
  .command('close-day')
  .description('pay out a business day (default: the open one)')
  .addOption(new Option('--day <YYYY-MM-DD>', 'the day to close').argParser(day))
  .action(async (options: { day?: string }) => {
    const closing = options.day ?? (await api.call<{ day: string }>('accounting', 'GET', '/api/me')).day;
    const closed = await api.call<{ already_closed: boolean; payouts: number; paid_out: number }>(
      'accounting',
      'POST',
      `/api/days/${closing}/close`,
    );
    console.log(
      closed.already_closed
        ? `${closing} was already closed; nothing more was paid.`
        : `Closed ${closing}: ${closed.payouts} payouts, ${formatMoney(closed.paid_out)} paid out.`,
    );
  });

program
  .command('balances')
  .description("every account's balance, with a total")
  .addOption(jsonOption())
  .action(async (options: { json?: boolean }) => {
    type Balance = { id: string; name: string; email: string; role: string; balance: number };
    const all: Balance[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await api.call<{ accounts: Balance[]; total: number; page_size: number }>(
        'accounting',
        'GET',
        `/api/accounts?page=${page}`,
      );
      all.push(...answer.accounts);
      if (page * answer.page_size >= answer.total) break;
    }
    const total = all.reduce((sum, account) => sum + account.balance, 0);
    if (options.json) return printJson({ accounts: all, total });
    printTable(
      all,
      [
        { title: 'NAME', value: (account) => account.name },
        { title: 'EMAIL', value: (account) => account.email },
        { title: 'ROLE', value: (account) => account.role },
        { title: 'BALANCE', value: (account) => formatMoney(account.balance), right: true },
      ],
      'No accounts have a balance yet.',
    );
    if (all.length > 0) console.log(`\n${all.length} accounts, ${formatMoney(total)} in all.`);
  });

program
  .command('rebuild')
  .description('replay a read model from the event log')
  .addArgument(program.createArgument('<model>', 'what to rebuild').choices(['analytics']))
  .action(async () => {
    await api.call('analytics', 'POST', '/api/rebuild');
    for (;;) {
      const { consumers } = await api.call<OpsStatus>('analytics', 'GET', '/api/ops/status');
      const lag = consumers[0]?.lag ?? 0;
      if (process.stderr.isTTY) process.stderr.write(`\rreplaying… ${lag} events to go   `);
      if (lag === 0) break;
      await wait(500);
    }
    console.log(`${process.stderr.isTTY ? '\n' : ''}Analytics rebuilt from the event log.`);
  });

program
  .command('dead-letters')
  .description('events put aside, with why')
  .addOption(serviceOption())
  .addOption(jsonOption())
  .action(async (options: { service?: ServiceName; json?: boolean }) => {
    const letters: (DeadLetter & { service: ServiceName })[] = [];
    for (const service of options.service ? [options.service] : serviceNames) {
      const { dead_letters } = await api.call<{ dead_letters: DeadLetter[] }>(service, 'GET', '/api/ops/dead-letters');
      letters.push(...dead_letters.map((letter) => ({ ...letter, service })));
    }
    if (options.json) return printJson({ dead_letters: letters });
    printTable(
      letters,
      [
        { title: 'ID', value: (letter) => `${letter.service}#${letter.id}` },
        { title: 'GROUP', value: (letter) => letter.consumerGroup },
        { title: 'EVENT', value: (letter) => letter.eventName ?? '?' },
        { title: 'REASON', value: (letter) => letter.reason },
      ],
      options.service ? `No dead letters in ${options.service}.` : 'No dead letters: every event was taken.',
    );
  });

program
  .command('redrive')
  .description("try a service's dead letters again")
  .addOption(serviceOption().makeOptionMandatory())
  .action(async (options: { service: ServiceName }) => {
    const { requested } = await api.call<{ requested: number }>(
      options.service,
      'POST',
      '/api/ops/dead-letters/redrive',
      {},
    );
    console.log(
      requested === 0
        ? `${options.service} has no dead letters.`
        : `Asked ${options.service} to retry ${requested} dead letters.`,
    );
  });

program
  .command('set-aside')
  .description('a consumer group stuck on an event puts it aside as a dead letter and goes on')
  .addOption(serviceOption().makeOptionMandatory())
  .addOption(new Option('--position <n>', 'the bus position of the event').argParser(position).makeOptionMandatory())
  .option('--group <group>', 'the consumer group (when the service has several)')
  .action(async (options: { service: ServiceName; position: number; group?: string }) => {
    const { consumers } = await api.call<OpsStatus>(options.service, 'GET', '/api/ops/status');
    const groups = consumers.map((consumer) => consumer.group);
    const group =
      options.group ??
      consumers.find((consumer) => consumer.stuck?.position === options.position)?.group ??
      (groups.length === 1 ? groups[0] : undefined);
    if (!group)
      throw new CliError(`${options.service} has the consumer groups ${groups.join(', ')}: say which with --group`);
    const body = { group, position: options.position };
    console.log(
      (await api.call<{ message: string }>(options.service, 'POST', '/api/ops/dead-letters/set-aside', body)).message,
    );
  });

program
  .command('status')
  .description('readiness, consumer lag, outbox backlog and dead letters of every service')
  .addOption(jsonOption())
  .action(async (options: { json?: boolean }) => {
    const report = await Promise.all(
      serviceNames.map(async (service) => {
        const ready = await fetch(`${publicUrl(service)}/readyz`).then(
          async (response) => ((await response.json()) as { status: string }).status,
          () => 'down',
        );
        const ops = ready === 'down' ? undefined : await api.call<OpsStatus>(service, 'GET', '/api/ops/status');
        return { service, ready, ops };
      }),
    );
    if (report.every((line) => line.ready === 'down'))
      throw new CliError(
        `aTES is not running: no service answers (the SSO would be at ${publicUrl('auth')}); npm start`,
      );
    if (options.json)
      return printJson({ services: report.map(({ service, ready, ops }) => ({ service, ready, ...ops })) });
    printTable(
      report,
      [
        { title: 'SERVICE', value: (line) => line.service },
        { title: 'STATE', value: (line) => line.ready },
        { title: 'BUS', value: (line) => line.ops?.bus ?? '' },
        { title: 'OUTBOX', value: (line) => String(line.ops?.outbox_backlog ?? ''), right: true },
        { title: 'DEAD', value: (line) => String(line.ops?.dead_letters ?? ''), right: true },
        {
          title: 'CONSUMER LAG',
          value: (line) => line.ops?.consumers.map((consumer) => `${consumer.group} ${consumer.lag}`).join(', ') ?? '',
        },
      ],
      'No services.',
    );
    for (const { ops } of report) {
      for (const { group, partitions } of ops?.consumers.filter((consumer) => consumer.partitions) ?? []) {
        const byMember = new Map<string, string[]>();
        for (const [partition, member] of Object.entries(partitions!))
          byMember.set(member, [...(byMember.get(member) ?? []), partition]);
        const shares = [...byMember].map(([member, held]) => `${member} holds ${held.join(',')}`);
        console.log(`${group} partitions: ${shares.join('; ')}`);
      }
    }
    for (const { service, ops } of report) {
      for (const { group, stuck } of ops?.consumers.filter((consumer) => consumer.stuck) ?? [])
        console.log(
          `${group} is stuck at position ${stuck!.position} (${stuck!.attempts} tries: ${stuck!.error}); npm run ates -- set-aside --service ${service} --position ${stuck!.position}`,
        );
      for (const failed of ops?.days_failing_to_close ?? [])
        console.log(
          `closing ${failed.day} failed ${failed.attempts}× (${failed.error}); next try ${failed.next_attempt_at}`,
        );
    }
  });

program
  .command('rotate-keys')
  .description('sign new tokens with a new key; --revoke: the old key is compromised, its tokens stop at once')
  .option('--revoke', 'the old key is compromised')
  .action(async (options: { revoke?: boolean }) => {
    const rotated = await api.call<{ signing_key_id: string; revoked_key_ids: string[] }>(
      'auth',
      'POST',
      '/api/ops/signing-keys/rotate',
      { revoke: options.revoke === true },
    );
    console.log(
      options.revoke
        ? `Tokens are now signed with key ${rotated.signing_key_id}; revoked ${rotated.revoked_key_ids.join(', ')}: its tokens stop working on every service within seconds (sign in again).`
        : `Tokens are now signed with key ${rotated.signing_key_id}; tokens signed before stay valid until they expire.`,
    );
  });

program
  .command('nats-config')
  .description("nats-server users that may publish only their own events, and each service's BUS_URL")
  .option('--stream <name>', 'the JetStream stream', 'ATES')
  .action(async (options: { stream: string }) => {
    // Loaded here: it reads the event registry, which every other command can do without.
    const { natsAuthorization } = await import('@ates/platform/bus');
    const secret = () => randomBytes(18).toString('base64url');
    const identities = {
      stream: options.stream,
      admin: { user: 'ates-admin', password: secret() },
      services: Object.fromEntries(serviceNames.map((name) => [name, secret()])),
    };
    console.log(
      `# Include in nats-server.conf (JetStream enabled). Keep it secret: it holds passwords.\n${natsAuthorization(identities)}`,
    );
    console.log("# Each service's environment (host and port are yours):");
    for (const name of serviceNames)
      console.log(`${name.toUpperCase()}_BUS_URL=nats://${name}:${identities.services[name]}@nats.example:4222`);
    console.log(
      `# Operators and tools (and the first start, which creates the stream ${identities.stream}):\nBUS_URL=nats://ates-admin:${identities.admin.password}@nats.example:4222\nBUS_STREAM=${identities.stream}`,
    );
  });

try {
  await program.parseAsync();
} catch (error) {
  // Commander has printed its own one-line message (unknown command, bad option, --help);
  // after an unknown command, the usage says what there is.
  if (error instanceof CommanderError) {
    if (error.code === 'commander.unknownCommand') console.error(`\n${program.helpInformation()}`);
    process.exit(error.exitCode);
  }
  const debug = process.argv.includes('--debug');
  if (error instanceof CliError && !debug) console.error(error.message);
  else if (debug) console.error(error);
  else console.error(`ates failed: ${error instanceof Error ? error.message : String(error)} (--debug shows where)`);
  process.exit(1);
}
