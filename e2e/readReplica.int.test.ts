import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../packages/platform/src/db/index.ts';
import { accountingService } from '../services/accounting/src/service.ts';
import { tasksService } from '../services/tasks/src/service.ts';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../tools/test/ates.ts';
import { postgresBinaries, type StreamingReplica, startStreamingReplica } from '../tools/test/streamingReplica.ts';
import { waitFor } from '../tools/test/waitFor.ts';

const binaries = postgresBinaries();

describe.skipIf(!binaries)('dashboards on a streaming read replica', () => {
  let cluster: StreamingReplica;
  let ates: TestAtes;
  let worker: TestAccount;
  let manager: TestAccount;

  beforeAll(async () => {
    cluster = await startStreamingReplica(binaries!);
    const on = (service: string) => ({
      [`${service.toUpperCase()}_DATABASE_URL`]: withDatabase(cluster.primaryUrl, `ates_${service}`),
      [`${service.toUpperCase()}_READ_DATABASE_URL`]: withDatabase(cluster.replicaUrl, `ates_${service}`),
    });
    ates = await startAtes([tasksService, accountingService], {
      ...on('tasks'),
      ...on('accounting'),
      ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
    });
    worker = await ates.account('worker');
    manager = await ates.account('manager');
    await waitForDirectory(ates.services['tasks']!, [worker.id, manager.id]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(Object.values(ates?.services ?? {}).map((service) => service.stop()));
    await cluster?.stop();
  });

  it('keeps showing data read-only when the primary dies, refuses changes with a 503, and recovers', async () => {
    for (const title of ['Polish the perch', 'Count the seeds']) {
      expect((await ates.call('tasks', 'POST', '/api/tasks', manager.token, { title })).status).toBe(201);
    }
    await waitFor(
      'accounting to take the fees',
      async () => (await ates.call('accounting', 'GET', '/api/me', worker.token)).body.log?.length === 2,
    );
    await cluster.caughtUp();

    await cluster.crashPrimary();
    const tasks = await ates.call('tasks', 'GET', '/api/tasks', worker.token);
    expect(tasks.status).toBe(200);
    expect(tasks.body.tasks.map((task: { title: string }) => task.title).sort()).toEqual([
      'Count the seeds',
      'Polish the perch',
    ]);
    const account = await ates.call('accounting', 'GET', '/api/me', worker.token);
    expect(account.status).toBe(200);
    expect(account.body.balance).toBeLessThan(0);

    const pageOf = async (service: string, path: string) =>
      String((await ates.call(service, 'GET', path, worker.token)).body);
    await waitFor('the task dashboard to say it is read-only', async () =>
      (await pageOf('tasks', '/my')).includes('Read-only mode'),
    );
    await waitFor('the accounting dashboard to say it is read-only', async () =>
      (await pageOf('accounting', '/')).includes('Read-only mode'),
    );
    expect(await pageOf('accounting', '/')).toContain('Polish the perch');

    const refused = await ates.call('tasks', 'POST', '/api/tasks', manager.token, { title: 'Written nowhere' });
    expect(refused.status).toBe(503);
    expect(refused.body.message).toMatch(/read-only right now.*Nothing was changed/);
    expect((await ates.call('accounting', 'POST', `/api/days/2026-01-01/close`, ates.admin.token)).status).toBe(503);

    await cluster.startPrimary();
    await waitFor(
      'writes to work again',
      async () =>
        (await ates.call('tasks', 'POST', '/api/tasks', manager.token, { title: 'Back in business' })).status === 201,
      30_000,
    );
    await waitFor('the banner to go', async () => !(await pageOf('tasks', '/my')).includes('Read-only mode'));
    expect(
      (await ates.call('tasks', 'GET', '/api/tasks', worker.token)).body.tasks.map(
        (task: { title: string }) => task.title,
      ),
    ).not.toContain('Written nowhere');
  });
});
