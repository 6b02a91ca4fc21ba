import { signInWithPassword } from '@ates/platform/auth';
import { startService } from '@ates/platform/service';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountingService } from '../services/accounting/src/service.ts';
import { authService } from '../services/auth/src/service.ts';
import { tasksService } from '../services/tasks/src/service.ts';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../tools/test/ates.ts';
import { waitFor } from '../tools/test/waitFor.ts';

let ates: TestAtes;
let worker: TestAccount;
let manager: TestAccount;

beforeAll(async () => {
  ates = await startAtes([tasksService, accountingService], { ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000' });
  worker = await ates.account('worker');
  manager = await ates.account('manager');
  await waitForDirectory(ates.services['tasks']!, [worker.id, manager.id]);
});

describe('services fail independently', () => {
  it('keeps the task tracker working while accounting is down, and accounting catches up when it is back', async () => {
    await ates.services['accounting']!.stop();
    const done: { fee: number; reward: number }[] = [];
    for (let n = 0; n < 5; n += 1) {
      const { status, body: task } = await ates.call('tasks', 'POST', '/api/tasks', manager.token, {
        title: `While accounting sleeps ${n}`,
      });
      expect(status).toBe(201);
      expect((await ates.call('tasks', 'POST', `/api/tasks/${task.id}/complete`, worker.token)).status).toBe(200);
      done.push({ fee: task.assign_fee, reward: task.completion_reward });
    }
    expect((await ates.call('tasks', 'POST', '/api/tasks/shuffle', manager.token)).status).toBe(200);

    const back = await startService(accountingService, ates.env);
    try {
      const expected = done.reduce((sum, task) => sum + task.reward - task.fee, 0);
      await waitFor('accounting to catch up from the bus', async () => {
        const { rows } = await back.context.pool.query<{ balance: number }>(
          'SELECT balance FROM ledger_accounts WHERE id = $1',
          [worker.id],
        );
        return rows[0]?.balance === expected;
      });
      const { rows } = await back.context.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM ledger_transfers WHERE employee_id = $1',
        [worker.id],
      );
      expect(rows[0]!.n).toBe(10);
    } finally {
      await back.stop();
    }
  });

  it('lets people who hold a token keep working while the SSO is down', async () => {
    // The tasks service has verified this token before, so it knows the signing key.
    expect((await ates.call('tasks', 'GET', '/api/tasks/mine', worker.token)).status).toBe(200);
    await ates.services['auth']!.stop();
    const created = await ates.call('tasks', 'POST', '/api/tasks', manager.token, { title: 'While the SSO sleeps' });
    expect(created.status).toBe(201);
    expect((await ates.call('tasks', 'POST', `/api/tasks/${created.body.id}/complete`, worker.token)).status).toBe(200);
    // A service that has never seen the signing key cannot judge the token: "try again", not "you are signed out".
    await ates.services['accounting']!.stop();
    const freshAccounting = await startService(accountingService, ates.env);
    try {
      const unjudged = await ates.call('accounting', 'GET', '/api/me', worker.token);
      expect(unjudged.status).toBe(503);
      expect(unjudged.body.message).toContain('the SSO is unreachable');
    } finally {
      await freshAccounting.stop();
    }
    const login = await fetch(`${ates.urlOf('tasks')}/login`);
    expect(login.status).toBe(503);
    expect(await login.text()).toContain('Sign-in is unavailable');
    const auth = await startService(authService, ates.env);
    try {
      const again = await signInWithPassword({ issuer: ates.issuer, email: worker.email, password: worker.password });
      expect((await ates.call('tasks', 'GET', '/api/tasks/mine', again.accessToken)).status).toBe(200);
    } finally {
      await auth.stop();
    }
  });
});
