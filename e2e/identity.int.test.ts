import { createHash } from 'node:crypto';
import { CookieSession, signInWithPassword } from '@ates/platform/auth';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountingService } from '../services/accounting/src/service.ts';
import { analyticsService } from '../services/analytics/src/service.ts';
import { tasksService } from '../services/tasks/src/service.ts';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../tools/test/ates.ts';
import { waitFor } from '../tools/test/waitFor.ts';

let ates: TestAtes;

beforeAll(async () => {
  ates = await startAtes([tasksService, accountingService, analyticsService], {
    ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
  });
});

/** Revocation must reach every service within this: the account events are on their way. */
const withinSeconds = 5_000;

describe('a changed account is judged by what it is now, on every service', () => {
  it('takes admin powers from a demoted admin within seconds, also for the token it already holds', async () => {
    const demoted = await ates.account('admin');
    expect((await ates.call('analytics', 'GET', '/api/summary', demoted.token)).status).toBe(200);
    expect(
      (await ates.call('auth', 'PATCH', `/api/accounts/${demoted.id}`, ates.admin.token, { role: 'worker' })).status,
    ).toBe(200);
    expect(
      (
        await ates.call('auth', 'POST', '/api/accounts', demoted.token, {
          email: 'sneaky@uberpopug.test',
          full_name: 'Sneaky',
          role: 'admin',
          password: 'popug password 1',
        })
      ).status,
    ).toBe(403);
    await waitFor(
      'analytics to refuse the old admin token',
      async () => (await ates.call('analytics', 'GET', '/api/summary', demoted.token)).status === 403,
      withinSeconds,
    );
    await waitFor(
      'tasks to refuse a shuffle',
      async () => (await ates.call('tasks', 'POST', '/api/tasks/shuffle', demoted.token)).status === 403,
      withinSeconds,
    );
  });

  it('lets no one restore their own role', async () => {
    const demoted = await ates.account('admin');
    await ates.call('auth', 'PATCH', `/api/accounts/${demoted.id}`, ates.admin.token, { role: 'manager' });
    expect(
      (await ates.call('auth', 'PATCH', `/api/accounts/${demoted.id}`, demoted.token, { role: 'admin' })).status,
    ).toBe(403);
    expect((await ates.call('auth', 'GET', `/api/me`, ates.admin.token)).body.role).toBe('admin');
  });

  it('stops a disabled worker from completing its task with the token it holds', async () => {
    const worker: TestAccount = await ates.account('worker');
    await waitForDirectory(ates.services['tasks']!, [worker.id]);
    const mine = async () =>
      (await ates.call('tasks', 'GET', '/api/tasks/mine', worker.token)).body.tasks as { id: string }[];
    // Every task goes to some assignable popug; create until one is this worker's.
    await waitFor('a task for the worker', async () => {
      await ates.call('tasks', 'POST', '/api/tasks', ates.admin.token, { title: 'Polish the perch' });
      return (await mine()).length > 0;
    });
    const [task] = await mine();
    await ates.call('auth', 'PATCH', `/api/accounts/${worker.id}`, ates.admin.token, { active: false });
    await waitFor(
      'tasks to refuse the disabled worker',
      async () => (await ates.call('tasks', 'GET', '/api/tasks/mine', worker.token)).status === 401,
      withinSeconds,
    );
    expect((await ates.call('tasks', 'POST', `/api/tasks/${task!.id}/complete`, worker.token)).status).toBe(401);
    const { rows } = await ates.services['tasks']!.context.pool.query<{ status: string }>(
      'SELECT status FROM tasks WHERE id = $1',
      [task!.id],
    );
    expect(rows[0]!.status).toBe('open');
  });
});

describe('single sign-out', () => {
  /** A browser: cookies for 127.0.0.1 are shared by every port, as browsers share them. */
  const browser = new CookieSession();
  const csrfFor = (token: string) => createHash('sha256').update(`csrf:${token}`).digest('base64url').slice(0, 32);

  async function signInTo(service: string, who: TestAccount): Promise<string> {
    const start = new URL(`${ates.urlOf(service)}/login`);
    const shown = await browser.follow(await browser.fetch(start, { headers: { accept: 'text/html' } }), start);
    if (shown.url.pathname.startsWith('/interaction/')) {
      const submitted = await browser.postForm(new URL(`${shown.url.pathname}/login`, shown.url), {
        email: who.email,
        password: who.password,
        beak: '',
      });
      await browser.follow(submitted, shown.url);
    }
    const token = browser.cookie(`ates_${service}_session`);
    if (!token) throw new Error(`no ${service} session after signing in`);
    return token;
  }

  it('ends the session on every dashboard when it ends on one', async () => {
    const person = await ates.account('accountant');
    const tasksToken = await signInTo('tasks', person);
    const accountingToken = await signInTo('accounting', person);
    expect((await ates.call('accounting', 'GET', '/api/me', accountingToken)).status).toBe(200);

    // Sign out on the tasks dashboard, and confirm at the SSO as a person would.
    const logout = new URL(`${ates.urlOf('tasks')}/logout`);
    const confirmation = await browser.follow(
      await browser.fetch(logout, { method: 'POST', headers: { 'x-csrf-token': csrfFor(tasksToken) } }),
      logout,
    );
    const page = await confirmation.response.text();
    expect(page).toContain('You will be signed out of every aTES dashboard.');
    const action =
      /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/.exec(page)?.[1] ??
      /<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(page)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    const confirmed = await browser.postForm(new URL(action!, confirmation.url), { xsrf: xsrf!, logout: 'yes' });
    expect(confirmed.status).toBe(303);

    await waitFor(
      'accounting to refuse the ended session',
      async () => (await ates.call('accounting', 'GET', '/api/me', accountingToken)).status === 401,
      withinSeconds,
    );
    await waitFor(
      'tasks to refuse it too',
      async () => (await ates.call('tasks', 'GET', '/api/tasks/mine', tasksToken)).status === 401,
      withinSeconds,
    );
  });
});

describe('a compromised signing key', () => {
  it('is revoked at once: the tokens it signed stop working on every service within seconds', async () => {
    const holder = await ates.account('worker');
    await waitForDirectory(ates.services['tasks']!, [holder.id]);
    expect((await ates.call('tasks', 'GET', '/api/tasks/mine', holder.token)).status).toBe(200);
    const rotated = await ates.call('auth', 'POST', '/api/ops/signing-keys/rotate', ates.admin.token, { revoke: true });
    expect(rotated.body.revoked_key_ids).toHaveLength(1);
    expect((await ates.call('auth', 'GET', '/api/me', holder.token)).status).toBe(401);
    await waitFor(
      'tasks to refuse the revoked key',
      async () => (await ates.call('tasks', 'GET', '/api/tasks/mine', holder.token)).status === 401,
      withinSeconds,
    );
    const fresh = await signInWithPassword({ issuer: ates.issuer, email: holder.email, password: holder.password });
    await waitFor(
      'the new key to be honoured',
      async () => (await ates.call('tasks', 'GET', '/api/tasks/mine', fresh.accessToken)).status === 200,
      withinSeconds,
    );
  });
});
