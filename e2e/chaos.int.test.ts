import { mkdirSync, writeFileSync } from 'node:fs';
import { isAssigningEvent, readTaskAssignments } from '@ates/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ServiceName } from '../packages/platform/src/config/index.ts';
import { BusinessClock } from '../packages/platform/src/time/index.ts';
import { type NatsServer, startGuardedNatsServer } from '../tools/processes/natsServer.ts';
import { ProcessSystem } from '../tools/processes/processSystem.ts';
import { startSmtpRecorder } from '../tools/test/chaos/smtpRecorder.ts';
import { SystemAudit } from '../tools/test/chaos/systemAudit.ts';
import { Workload } from '../tools/test/chaos/workload.ts';
import { testEnvironment } from '../tools/test/services.ts';
import { waitFor } from '../tools/test/waitFor.ts';

// Bounded on purpose: long enough for a few dozen kills, short enough for every CI run.
const workloadMs = 30_000;
const victims: ServiceName[] = ['auth', 'tasks', 'accounting', 'analytics', 'notifications'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['postgres', 'nats'] as const)('chaos on the %s bus', (adapter) => {
  it('loses and doubles no cent while services are SIGKILLed mid-work', { timeout: 300_000 }, async () => {
    // On NATS every service signs in as its own user, allowed to publish only its own events.
    const guarded = adapter === 'nats' ? await startGuardedNatsServer(victims) : undefined;
    const nats: NatsServer | undefined = guarded?.server;
    onTestFinished(() => nats?.stop());
    const smtp = await startSmtpRecorder();
    onTestFinished(() => smtp.stop());
    const env = await testEnvironment({
      NODE_ENV: 'test',
      ...(guarded ? { ...guarded.env, BUS_ACK_WAIT_MS: '2000' } : {}),
      SMTP_URL: smtp.url,
      EMAIL_SENDER_POLL_MS: '200',
      ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
    });
    const system = new ProcessSystem(env);
    const audit = new SystemAudit(env);
    onTestFinished(async () => {
      await system.stop();
      await audit.close();
    });
    await system.start();
    const url = (name: string) => `http://127.0.0.1:${env[`${name.toUpperCase()}_PORT`]}`;
    const people = new Workload({ auth: url('auth'), tasks: url('tasks'), accounting: url('accounting') });
    const ids = await people.signUp(6);
    await waitFor('the task tracker to know the workers', () => audit.taskTrackerKnows(ids));

    const faults = { kills: {} as Record<string, number>, natsRestarts: 0 };
    const until = Date.now() + workloadMs;
    const down = new Set<ServiceName>();
    // Two monkeys, so sometimes two services are down at once.
    const monkey = async () => {
      while (Date.now() < until) {
        await pause(300 + Math.random() * 1_200);
        const victim = pick(victims.filter((name) => !down.has(name)));
        down.add(victim);
        await system.kill(victim);
        faults.kills[victim] = (faults.kills[victim] ?? 0) + 1;
        if (nats && faults.natsRestarts === 0 && Date.now() > until - workloadMs / 2) {
          await nats.restart();
          faults.natsRestarts += 1;
        }
        await pause(Math.random() * 1_000);
        await system.launch(victim);
        down.delete(victim);
      }
    };
    const today = new BusinessClock('UTC').today();
    const dayClose = (async () => {
      // As an accountant would: once the day's work is done and booked, close it.
      await pause(workloadMs * 0.5);
      await people.finishOpenTasks();
      await audit.waitForGroup('accounting.ledger', 60_000);
      return people.closeDay(today);
    })();
    await Promise.all([people.run(until), monkey(), monkey(), dayClose]);

    await audit.waitForQuiet(120_000);
    const [events, tasks, transfers, balances, emails, deadLetters] = await Promise.all([
      audit.events(),
      audit.tasks(),
      audit.transfers(),
      audit.balances(),
      audit.emails(),
      audit.deadLetters(),
    ]);

    // Every assignment is one fee of the task's price; every completion one reward.
    const byTask = new Map(tasks.map((task) => [task.id, task]));
    const assignments = events.filter(isAssigningEvent).flatMap(readTaskAssignments);
    const fees = new Map(transfers.filter((t) => t.kind === 'fee').map((t) => [t.idempotency_key, t]));
    expect(fees.size).toBe(assignments.length);
    for (const assignment of assignments) {
      const fee = fees.get(`fee:${assignment.assignmentId}`);
      expect(fee, `fee for assignment ${assignment.assignmentId}`).toBeDefined();
      expect(fee!.amount).toBe(byTask.get(assignment.taskId)!.assign_fee);
      expect(fee!.amount).toBe(assignment.assignFee);
      expect(fee!.employee_id).toBe(assignment.assigneeId);
    }
    const done = tasks.filter((task) => task.status === 'done');
    const rewards = transfers.filter((t) => t.kind === 'reward');
    expect(rewards.length).toBe(done.length);
    expect(new Set(rewards.map((t) => t.task_id))).toEqual(new Set(done.map((task) => task.id)));
    for (const reward of rewards) expect(reward.amount).toBe(byTask.get(reward.task_id!)!.completion_reward);
    expect(events.filter((event) => event.event_name === 'task.created').length).toBe(tasks.length);

    // Double entry: nothing invented, each balance is what its postings say.
    expect(balances.reduce((sum, account) => sum + account.balance, 0)).toBe(0);
    for (const account of balances) expect(account.balance, account.id).toBe(account.from_postings);

    // One payout per account and day, one email for each, and the world received it.
    const payouts = transfers.filter((t) => t.kind === 'payout');
    expect(new Set(payouts.map((t) => `${t.employee_id}/${t.business_day}`)).size).toBe(payouts.length);
    expect(emails.length).toBe(payouts.length);
    expect(new Set(emails.map((email) => `${email.account_id}/${email.business_day}`))).toEqual(
      new Set(payouts.map((t) => `${t.employee_id}/${t.business_day}`)),
    );
    const received = new Set(smtp.messageIds);
    for (const email of emails)
      expect(received.has(`<payout-${email.id}@ates.uberpopug>`), `mail for payout email ${email.id}`).toBe(true);
    expect(received.size).toBe(emails.length);
    expect(deadLetters).toBe(0);

    // Analytics equals what a replay of the whole log makes of it.
    const before = await audit.analyticsReadModel();
    const admin = await fetch(`${url('analytics')}/api/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${people.adminToken}` },
    });
    expect(admin.status).toBe(200);
    await audit.waitForQuiet(60_000);
    expect(await audit.analyticsReadModel()).toBe(before);

    const report = {
      adapter,
      workload: people.counts,
      faults: { ...faults, total: Object.values(faults.kills).reduce((a, b) => a + b, 0) + faults.natsRestarts },
      checked: {
        events: events.length,
        assignments: assignments.length,
        completions: rewards.length,
        payouts: payouts.length,
        emails_received: smtp.messageIds.length,
        duplicate_deliveries: smtp.messageIds.length - received.size,
      },
      peak_rss_mb: system.peakRssMb(),
    };
    console.log(`chaos report: ${JSON.stringify(report)}`);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(`test-results/chaos-${adapter}.json`, `${JSON.stringify(report, null, 2)}\n`);
    expect(report.faults.total).toBeGreaterThanOrEqual(2);
    expect(payouts.length).toBeGreaterThan(0);
  });
});
