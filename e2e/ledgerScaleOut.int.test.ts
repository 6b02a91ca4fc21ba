import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it, onTestFinished } from 'vitest';
import { NatsJetStreamBus } from '../packages/platform/src/bus/index.ts';
import { partitionCount, partitionOf } from '../packages/platform/src/partitions/index.ts';
import { startGuardedNatsServer } from '../tools/processes/natsServer.ts';
import { spawnService } from '../tools/processes/serviceProcess.ts';
import { SystemAudit } from '../tools/test/chaos/systemAudit.ts';
import { freePort } from '../tools/test/freePort.ts';
import { testEnvironment } from '../tools/test/services.ts';
import { newTaskAssignments } from '../tools/test/taskAssignments.ts';
import { waitFor } from '../tools/test/waitFor.ts';

const assignments = 30_000;
const workers = Array.from({ length: 300 }, () => uuidv7());

describe('the ledger scaled out on NATS', () => {
  it('posts every fee once, Σ = 0, when one of two accounting processes is killed mid-run', {
    timeout: 300_000,
  }, async () => {
    const leaseMs = 3_000;
    const guarded = await startGuardedNatsServer(['accounting'], 'ATES', { leaseMs });
    onTestFinished(() => guarded.server.stop());
    const env = await testEnvironment({
      ...guarded.env,
      BUS_ACK_WAIT_MS: '2000',
      ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
    });
    const audit = new SystemAudit(env);
    const ledgerDb = new pg.Pool({ connectionString: env['ACCOUNTING_DATABASE_URL'], max: 2 });
    const bus = await NatsJetStreamBus.connect(env['BUS_URL']!, { stream: 'ATES' });
    onTestFinished(async () => {
      await bus.close();
      await ledgerDb.end();
      await audit.close();
    });
    const holders = () => bus.partitionHolders('accounting.ledger');

    // Two accounting processes, as two replicas of the service would run.
    const members = [
      await spawnService('accounting', env, { output: 'ignore' }),
      await spawnService('accounting', { ...env, ACCOUNTING_PORT: String(await freePort()) }, { output: 'ignore' }),
    ];
    onTestFinished(() => Promise.all(members.map((member) => member.stop())).then(() => undefined));
    // Members are named <host>-<pid>-<random>: which process holds what is plain.
    const pidOf = (member: string) => Number(member.split('-').at(-2));
    const [keeps, dies] = members.map((member) => member.child.pid!);
    await waitFor('both processes to hold partitions', async () => {
      const pids = new Set([...(await holders()).values()].map(pidOf));
      return pids.size === 2 && pids.has(keeps!) && pids.has(dies!);
    });

    const events = newTaskAssignments(assignments, workers);
    let published = 0;
    const publishing = (async () => {
      // A steady stream, about 5,000 assignments a second, so the kill lands mid-run.
      for (; published < events.length; published += 500) {
        await bus.publish(events.slice(published, published + 500));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    /** Fees posted so far, counted by the process that holds each employee's partition. */
    const postedByPid = async () => {
      const held = await holders();
      const { rows } = await ledgerDb.query<{ employee_id: string }>(
        "SELECT employee_id::text FROM ledger_transfers WHERE kind = 'fee'",
      );
      const counts = new Map<number, number>();
      for (const row of rows) {
        const pid = pidOf(held.get(partitionOf(row.employee_id))!);
        counts.set(pid, (counts.get(pid) ?? 0) + 1);
      }
      return { total: rows.length, counts };
    };

    const beforeKill = await waitFor('both processes to post', async () => {
      const posted = await postedByPid();
      return (posted.counts.get(keeps!) ?? 0) >= 500 && (posted.counts.get(dies!) ?? 0) >= 500 ? posted : false;
    });
    await members[1]!.kill();
    expect(beforeKill.total).toBeLessThan(assignments);
    await publishing;

    await waitFor(
      'the survivor to hold every partition',
      async () => {
        const now = await holders();
        return now.size === partitionCount && [...now.values()].every((member) => pidOf(member) === keeps);
      },
      60_000,
    );
    await waitFor('every fee posted', async () => (await bus.lag('accounting.ledger')) === 0, 120_000);

    const transfers = await audit.transfers();
    const fees = transfers.filter((transfer) => transfer.kind === 'fee');
    expect(fees).toHaveLength(assignments);
    expect(new Set(fees.map((fee) => fee.idempotency_key)).size).toBe(assignments);
    const byKey = new Map(fees.map((fee) => [fee.idempotency_key, fee]));
    for (const event of events) {
      const data = (
        JSON.parse(event.body) as { data: { assignment_id: string; assign_fee: number; assignee_id: string } }
      ).data;
      const fee = byKey.get(`fee:${data.assignment_id}`);
      expect(fee?.amount, data.assignment_id).toBe(data.assign_fee);
      expect(fee?.employee_id).toBe(data.assignee_id);
    }
    const balances = await audit.balances();
    expect(balances.reduce((sum, account) => sum + account.balance, 0)).toBe(0);
    for (const account of balances) expect(account.balance, account.id).toBe(account.from_postings);
    expect(balances.filter((account) => account.id.startsWith('company') && account.balance > 0)).toHaveLength(
      partitionCount,
    );
    const gaps = await ledgerDb.query(
      `SELECT employee_id FROM ledger_transfers GROUP BY employee_id HAVING max(sequence) <> count(*) OR count(DISTINCT sequence) <> count(*)`,
    );
    expect(gaps.rows).toEqual([]);
    const { rows: deadLetters } = await ledgerDb.query('SELECT event_id FROM ates_dead_letters');
    expect(deadLetters).toEqual([]);
  });
});
