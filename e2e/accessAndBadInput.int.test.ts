import { createEvent, TaskCompletedV1 } from '@ates/contracts';
import { PostgresLogBus } from '@ates/platform/bus';
import { isApiRoute, routesOf } from '@ates/platform/http';
import { listDeadLetters } from '@ates/platform/inbox';
import { generateKeyPair, SignJWT } from 'jose';
import { uuidv7 } from 'uuidv7';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountingService } from '../services/accounting/src/service.ts';
import { analyticsService } from '../services/analytics/src/service.ts';
import { notificationsService } from '../services/notifications/src/service.ts';
import { tasksService } from '../services/tasks/src/service.ts';
import { startAtes, type TestAccount, type TestAtes } from '../tools/test/ates.ts';
import { freePort } from '../tools/test/freePort.ts';
import { waitFor } from '../tools/test/waitFor.ts';

type Role = 'admin' | 'manager' | 'accountant' | 'worker';
const anyone: Role[] = ['admin', 'manager', 'accountant', 'worker'];
const ops = {
  'GET /api/ops/status': ['admin'],
  'GET /api/ops/dead-letters': ['admin'],
  'POST /api/ops/dead-letters/redrive': ['admin'],
  'POST /api/ops/dead-letters/set-aside': ['admin'],
} as const;

/** Who may call what. Every route of every service must be listed here or be public. */
const matrix: Record<string, Record<string, readonly Role[]>> = {
  auth: {
    'GET /': anyone,
    'GET /api/accounts': ['admin'],
    'POST /api/accounts': ['admin'],
    'PATCH /api/accounts/:id': ['admin'],
    'GET /api/me': anyone,
    'GET /admin/accounts': ['admin'],
    'POST /admin/accounts': ['admin'],
    'POST /admin/accounts/:id': ['admin'],
    'GET /account': anyone,
    'POST /account': anyone,
    'POST /api/ops/signing-keys/rotate': ['admin'],
    ...ops,
  },
  tasks: {
    'GET /api/tasks': anyone,
    'GET /api/tasks/mine': anyone,
    'POST /api/tasks': anyone,
    'POST /api/tasks/:id/complete': anyone,
    'POST /api/tasks/shuffle': ['admin', 'manager'],
    'GET /': anyone,
    'GET /my': anyone,
    'POST /tasks': anyone,
    'POST /tasks/:id/done': anyone,
    'GET /shuffle': ['admin', 'manager'],
    'POST /shuffle': ['admin', 'manager'],
    ...ops,
  },
  accounting: {
    'GET /api/me': anyone,
    'GET /api/accounts': ['admin', 'accountant'],
    'GET /api/accounts/:id/log': ['admin', 'accountant'],
    'GET /api/earnings': ['admin', 'accountant'],
    'GET /api/days': ['admin', 'accountant'],
    'POST /api/days/:day/close': ['admin', 'accountant'],
    'GET /': anyone,
    'GET /accounts/:id': ['admin', 'accountant'],
    'GET /close-day': ['admin', 'accountant'],
    'POST /close-day': ['admin', 'accountant'],
    ...ops,
  },
  analytics: {
    'GET /api/summary': ['admin'],
    'GET /api/most-expensive': ['admin'],
    'GET /api/earnings': ['admin'],
    'POST /api/rebuild': ['admin'],
    'GET /': ['admin'],
    'GET /rebuild': ['admin'],
    'POST /rebuild': ['admin'],
    ...ops,
  },
  notifications: { 'GET /api/mailbox': anyone, 'GET /': anyone, ...ops },
};

/** Routes anyone may call: health, metrics, the stylesheet and icon, and the sign-in protocol itself. */
const isPublic = (route: string) =>
  /^(GET|POST) \/(healthz|readyz|metrics|login|logout|auth\/callback|favicon\.ico|openapi\.json|docs)$/.test(route) ||
  /^GET \/assets\/[\w.-]+$/.test(route) ||
  / \/(oidc\/\*|\.well-known\/openid-configuration|interaction\/)/.test(route);

let ates: TestAtes;
const people = {} as Record<Role, TestAccount>;
let forged: string;

const fill = (url: string) => url.replace(':id', uuidv7()).replace(':day', '2000-01-01').replace(':uid', 'none');

beforeAll(async () => {
  ates = await startAtes([tasksService, accountingService, analyticsService, notificationsService], {
    SMTP_SINK_PORT: String(await freePort()),
    ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
  });
  people.admin = ates.admin;
  people.manager = await ates.account('manager');
  people.accountant = await ates.account('accountant');
  people.worker = await ates.account('worker');
  const { privateKey } = await generateKeyPair('ES256');
  forged = await new SignJWT({ role: 'admin', email: 'x@y.zz', name: 'Forger' })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'forged-key' })
    .setIssuer(ates.issuer)
    .setAudience('urn:ates')
    .setSubject(uuidv7())
    .setExpirationTime('1h')
    .sign(privateKey);
});

describe('the published API description', () => {
  const documented = async (service: string) => {
    const document = (await ates.call(service, 'GET', '/openapi.json')).body as {
      openapi: string;
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    return Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        summary: operation.summary,
      })),
    );
  };

  it('describes every API route of every service, and nothing else', async () => {
    for (const [service, running] of Object.entries(ates.services)) {
      const api = routesOf(running.parts.http)
        .filter((route) => isApiRoute(route.url))
        .map((route) => `${route.method} ${route.url}`);
      const described = (await documented(service)).map((operation) => operation.route);
      expect(described.sort(), service).toEqual(api.sort());
    }
  });

  it('says what every operation does', async () => {
    for (const service of Object.keys(ates.services))
      expect((await documented(service)).filter((operation) => !operation.summary)).toEqual([]);
  });

  it('is OpenAPI 3.1', async () => {
    expect((await ates.call('tasks', 'GET', '/openapi.json')).body.openapi).toBe('3.1.0');
  });

  it('shows people every operation on the docs page', async () => {
    const page = await ates.call('accounting', 'GET', '/docs');
    expect(page.body).toContain('<code>POST /api/days/{day}/close</code>');
  });
});

describe('the role × endpoint matrix', () => {
  it('lists every route of every service', () => {
    for (const [service, running] of Object.entries(ates.services)) {
      const routes = routesOf(running.parts.http).map((route) => `${route.method} ${route.url}`);
      const unlisted = routes.filter((route) => !isPublic(route) && !(route in matrix[service]!));
      expect(unlisted, `${service} has routes the matrix does not cover`).toEqual([]);
      const gone = Object.keys(matrix[service]!).filter((route) => !routes.includes(route));
      expect(gone, `${service} no longer has these routes`).toEqual([]);
    }
  });

  it('lets exactly the listed roles in, refuses strangers and forged tokens', async () => {
    const failures: string[] = [];
    for (const [service, routes] of Object.entries(matrix)) {
      for (const [route, allowed] of Object.entries(routes)) {
        const [method, url] = route.split(' ') as [string, string];
        const body = method === 'GET' ? undefined : {};
        for (const role of anyone) {
          const { status } = await ates.call(service, method, fill(url), people[role].token, body);
          const ok = allowed.includes(role) ? status !== 401 && status !== 403 && status < 500 : status === 403;
          if (!ok) failures.push(`${service} ${route} as ${role}: ${status}`);
        }
        const anonymous = await ates.call(service, method, fill(url), undefined, body);
        if (anonymous.status !== 401) failures.push(`${service} ${route} anonymous: ${anonymous.status}`);
        const forger = await ates.call(service, method, fill(url), forged, body);
        if (forger.status !== 401) failures.push(`${service} ${route} forged token: ${forger.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('bad input', () => {
  const payloads: [string, string][] = [
    ['not JSON', '{"title": '],
    ['a JSON string', '"hello"'],
    ['an array', '[1, 2, 3]'],
    ['null', 'null'],
    [
      'wrong types',
      JSON.stringify({
        title: 42,
        jira_id: ['x'],
        description: { a: 1 },
        email: 7,
        role: null,
        full_name: true,
        password: 1,
      }),
    ],
    ['unknown fields', JSON.stringify({ title: 'ok', is_admin: true })],
    ['deep nesting', `${'['.repeat(5_000)}${']'.repeat(5_000)}`],
    ['too big', JSON.stringify({ title: 'x'.repeat(400 * 1024) })],
    ['control characters', JSON.stringify({ title: '\u0000\u0007\u001b[31m', jira_id: '\u0000' })],
  ];

  it('answers every malformed request to every write endpoint with a 4xx and a message, never a 500', async () => {
    const failures: string[] = [];
    for (const [service, routes] of Object.entries(matrix)) {
      for (const route of Object.keys(routes).filter((r) => !r.startsWith('GET'))) {
        const [method, url] = route.split(' ') as [string, string];
        for (const [what, raw] of payloads) {
          const response = await fetch(`${ates.urlOf(service)}${fill(url)}`, {
            method,
            headers: { authorization: `Bearer ${ates.admin.token}`, 'content-type': 'application/json' },
            body: raw,
          });
          const text = await response.text();
          // JSON answers carry a message; form routes may answer with the page and its error notice.
          const explained = /"message":"[^"]+"/.test(text) || text.includes('class="notice error"');
          if (response.status >= 500 || (response.status >= 400 && !explained))
            failures.push(`${service} ${route} with ${what}: ${response.status} ${text.slice(0, 80)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    for (const bad of [
      '/api/tasks?page=-1&status=maybe&search=%00',
      '/api/tasks/mine?page=99999999999999999999',
      '/api/tasks/not-a-uuid/complete',
    ]) {
      expect((await ates.call('tasks', 'GET', bad, ates.admin.token)).status).toBeLessThan(500);
    }
    expect((await ates.call('accounting', 'GET', '/api/me?day=2026-02-30', ates.admin.token)).status).toBe(400);
    expect(
      (await ates.call('analytics', 'GET', '/api/most-expensive?from=1999-01-01&to=2026-01-01', ates.admin.token)).body
        .message,
    ).toBe('Ask for at most 366 days at once');
  });

  it('puts poison events aside with reasons in every consumer, and the events behind them still apply', async () => {
    const bus = await PostgresLogBus.connect(ates.env['BUS_DATABASE_URL']!);
    const taskId = uuidv7();
    const good = createEvent(
      TaskCompletedV1,
      {
        task_id: taskId,
        assignee_id: people.worker.id,
        completion_reward: 2_500,
        completed_at: new Date().toISOString(),
      },
      { aggregateId: taskId },
    );
    const names = [
      'task.completed',
      'task.assigned',
      'account.created',
      'accounting.transaction_applied',
      'accounting.payout_made',
    ];
    await bus.publish([
      ...names.map((name) => ({ id: uuidv7(), name, key: 'x', body: '\u0007 not json at all {{' })),
      ...names.map((name) => ({
        id: uuidv7(),
        name,
        key: 'x',
        body: JSON.stringify({ ...good, event_name: name, event_version: 99 }),
      })),
      {
        id: uuidv7(),
        name: 'task.completed',
        key: 'x',
        body: JSON.stringify({ ...good, event_id: uuidv7(), data: { ...good.data, completion_reward: -5 } }),
      },
      {
        id: uuidv7(),
        name: 'task.completed',
        key: 'x',
        body: JSON.stringify({ ...good, event_id: uuidv7(), data: 'x'.repeat(100_000) }),
      },
      { id: good.event_id, name: good.event_name, key: taskId, body: JSON.stringify(good) },
    ]);
    await bus.close();
    const accounting = ates.services['accounting']!.context.pool;
    await waitFor(
      'the good event behind the poison',
      async () =>
        (await accounting.query("SELECT 1 FROM ledger_transfers WHERE task_id = $1 AND kind = 'reward'", [taskId]))
          .rowCount === 1,
    );
    await waitFor(
      'analytics to apply it too',
      async () =>
        (
          await ates.services['analytics']!.context.pool.query('SELECT 1 FROM completed_tasks WHERE task_id = $1', [
            taskId,
          ])
        ).rowCount === 1,
    );
    const letters = await listDeadLetters(accounting, { group: 'accounting.ledger' });
    expect(letters.length).toBeGreaterThanOrEqual(5);
    expect(letters.every((letter) => letter.reason.length > 0)).toBe(true);
    expect(letters.map((letter) => letter.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^not JSON/),
        expect.stringMatching(/unknown event task\.completed\.v99/),
        expect.stringMatching(/completion_reward must be >= 0/),
      ]),
    );
    for (const service of ['tasks', 'notifications', 'analytics']) {
      expect((await ates.call(service, 'GET', '/readyz')).status).toBe(200);
    }
  });
});
