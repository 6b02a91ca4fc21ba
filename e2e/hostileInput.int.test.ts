import { type RouteEntry, routesOf } from '@ates/platform/http';
import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountingService } from '../services/accounting/src/service.ts';
import { analyticsService } from '../services/analytics/src/service.ts';
import { notificationsService } from '../services/notifications/src/service.ts';
import { tasksService } from '../services/tasks/src/service.ts';
import { startAtes, type TestAccount, type TestAtes } from '../tools/test/ates.ts';
import { freePort } from '../tools/test/freePort.ts';

let ates: TestAtes;
let worker: TestAccount;

beforeAll(async () => {
  ates = await startAtes([tasksService, accountingService, analyticsService, notificationsService], {
    SMTP_SINK_PORT: String(await freePort()),
    ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
  });
  worker = await ates.account('worker');
});

const send = async (service: string, method: string, path: string, body?: unknown, raw?: string) => {
  const response = await fetch(`${ates.urlOf(service)}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ates.admin.token}`,
      accept: 'application/json',
      ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, text };
};

/** The inputs that answered 500 before route schemas (issue 16), each now a 400 with a message. */
const seen500: [service: string, method: string, path: string, body?: unknown][] = [
  ...['1e308', 'Infinity', '99999999999999999999'].flatMap((page): [string, string, string][] => [
    ['auth', 'GET', `/api/accounts?page=${page}`],
    ['auth', 'GET', `/admin/accounts?page=${page}`],
    ['accounting', 'GET', `/api/accounts?page=${page}`],
    ['accounting', 'GET', `/?page=${page}`],
    ['notifications', 'GET', `/api/mailbox?page=${page}`],
    ['notifications', 'GET', `/?page=${page}`],
  ]),
  ['accounting', 'GET', '/api/me?day=0000-01-01'],
  ['accounting', 'GET', `/api/accounts/${uuidv7()}/log?day=0000-06-15`],
  ['accounting', 'GET', '/api/earnings?from=0000-01-01&to=0000-01-05'],
  ['accounting', 'POST', '/api/days/0000-01-01/close'],
  ['analytics', 'GET', '/api/summary?day=0000-01-01'],
  ['analytics', 'GET', '/api/most-expensive?from=0000-01-01&to=0000-01-05'],
  ['tasks', 'GET', '/api/tasks?search=a&search=b'],
  ['tasks', 'GET', '/?search=a&search=b'],
  ['tasks', 'GET', '/api/tasks/mine?search=a&search=b'],
  [
    'auth',
    'POST',
    '/api/accounts',
    { email: 'a@b..co', full_name: 'Dotty', role: 'worker', password: 'popug password 1' },
  ],
  [
    'auth',
    'POST',
    '/api/accounts',
    { email: 'a(x)@b.co', full_name: 'Parens', role: 'worker', password: 'popug password 1' },
  ],
  [
    'auth',
    'POST',
    '/api/accounts',
    { email: 'a@-b.co', full_name: 'Hyphen', role: 'worker', password: 'popug password 1' },
  ],
  ...['accounting', 'tasks', 'auth', 'analytics', 'notifications'].map((service): [string, string, string, unknown] => [
    service,
    'POST',
    '/api/ops/dead-letters/redrive',
    { ids: [1e300] },
  ]),
];

describe('inputs that used to answer 500', () => {
  it.each(seen500)('%s %s %s answers 400 with a message', async (service, method, path, body) => {
    const { status, text } = await send(service, method, path, body);
    expect({ status, explained: String((JSON.parse(text) as { message?: string }).message ?? '').length > 10 }).toEqual(
      { status: 400, explained: true },
    );
  });
});

// ——— every route, generated from its own schema and the edges of what it accepts ———

const edgeText = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '1.5',
  '1e308',
  'Infinity',
  'NaN',
  '99999999999999999999',
  '0000-01-01',
  '2026-02-30',
  '9999-12-31',
  '2026-03-01',
  'a@b..co',
  'a(x)@b.co',
  'admin@uberpopug.test',
  '%00',
  '\u0000',
  '\u001b[31m',
  'x'.repeat(3_000),
  '[UBERPOP-1] x',
  'open',
  'done',
  'admin',
  'worker',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'true',
  'null',
  '{}',
];
const anyText = fc.oneof(fc.constantFrom(...edgeText), fc.string({ maxLength: 40 }), fc.uuid());
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  anyText,
  fc.constantFrom(0, -1, 1, 1.5, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, true, false, null),
  fc.array(anyText, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), anyText, { maxKeys: 3 }),
);

const propertiesOf = (schema: unknown): string[] => {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const { properties, anyOf, allOf } = node as {
      properties?: Record<string, unknown>;
      anyOf?: unknown[];
      allOf?: unknown[];
    };
    for (const name of Object.keys(properties ?? {})) found.add(name);
    [...(anyOf ?? []), ...(allOf ?? [])].forEach(walk);
  };
  walk(schema);
  return [...found];
};

interface Target {
  service: string;
  route: RouteEntry;
}

const request = (target: Target) => {
  const params = (target.route.url.match(/:\w+/g) ?? []).map(
    (name) => [name, fc.oneof(fc.constant(uuidv7()), fc.constant(worker.id), anyText)] as const,
  );
  const queryNames = [...propertiesOf(target.route.schema?.querystring), 'unexpected'];
  const bodyNames = propertiesOf(target.route.schema?.body);
  return fc.record({
    params: fc.tuple(...params.map(([, value]) => value)),
    query: fc.array(fc.tuple(fc.constantFrom(...queryNames), anyText), { maxLength: 4 }),
    body:
      target.route.method === 'GET'
        ? fc.constant(undefined)
        : fc.oneof(fc.dictionary(fc.constantFrom(...bodyNames, '_csrf', 'extra'), anyValue, { maxKeys: 5 }), anyValue),
  });
};

/** The state each service's HTTP API writes: a refused request must leave it as it was. */
const fingerprints: Record<string, string> = {
  auth: "SELECT count(*) || ':' || coalesce(sum(hashtext(id::text || email || full_name || role || active::text || coalesce(beak_shape, ''))), 0) AS print FROM accounts",
  tasks:
    "SELECT count(*) || ':' || coalesce(sum(hashtext(id::text || status || assignee_id::text)), 0) AS print FROM tasks",
  accounting:
    "SELECT (SELECT count(*) FROM business_days) || ':' || (SELECT count(*) FROM ledger_transfers WHERE kind = 'payout') AS print",
  analytics: "SELECT 'read model only' AS print",
  notifications: 'SELECT count(*)::text AS print FROM mailbox',
};
const fingerprint = async (service: string) =>
  (await ates.services[service]!.context.pool.query<{ print: string }>(fingerprints[service]!)).rows[0]!.print;

describe('every route, fuzzed from its schema', () => {
  it('answers no generated request with a 5xx, and a refused one writes nothing', async () => {
    const targets: Target[] = Object.entries(ates.services).flatMap(([service, running]) =>
      routesOf(running.parts.http)
        // The OIDC protocol endpoints belong to oidc-provider and have their own suite.
        .filter((route) => !/^\/(oidc|\.well-known)/.test(route.url))
        .map((route) => ({ service, route })),
    );
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    await fc
      .assert(
        fc.asyncProperty(
          fc.constantFrom(...targets).chain((target) => request(target).map((input) => ({ target, input }))),
          async ({ target, input }) => {
            let path = target.route.url;
            for (const [index, name] of (target.route.url.match(/:\w+/g) ?? []).entries()) {
              path = path.replace(name, encodeURIComponent(String(input.params[index])));
            }
            const query = new URLSearchParams(
              input.query.map(([name, value]): [string, string] => [name, value]),
            ).toString();
            const before = await fingerprint(target.service);
            const { status, text } = await send(
              target.service,
              target.route.method,
              `${path}${query ? `?${query}` : ''}`,
              input.body,
            );
            const after = await fingerprint(target.service);
            const where = `${target.service} ${target.route.method} ${path}?${query} ${JSON.stringify(input.body)?.slice(0, 200)}`;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 500) failures.push(`${status} for ${where}: ${text.slice(0, 200)}`);
            if (status >= 400 && status < 500 && before !== after) failures.push(`${status} but it wrote: ${where}`);
            return status < 500 && !(status >= 400 && before !== after);
          },
        ),
        {
          numRuns: Number(process.env['FUZZ_RUNS'] ?? 600),
          seed: Number(process.env['FUZZ_SEED'] ?? 16),
          endOnFailure: true,
        },
      )
      .catch((error: Error) => failures.push(error.message.split('\n').slice(0, 6).join('\n')));
    expect(failures).toEqual([]);
    // The generator must reach past the schemas too, or it proves nothing about the handlers.
    expect([...statuses.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
    if (process.env['FUZZ_REPORT']) console.log(Object.fromEntries(statuses));
  }, 600_000);
});
