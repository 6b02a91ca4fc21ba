import {
  createEvent,
  type Envelope,
  PayoutMadeV1,
  PayoutMadeV3,
  TaskAssignedV2,
  TaskCompletedV2,
} from '@ates/contracts';
import { accountDirectoryMigrations } from '@ates/platform/accounts';
import { PostgresLogBus } from '@ates/platform/bus';
import { createPool, migrateDatabase, migrateServiceDatabase, type Pool } from '@ates/platform/db';
import { createLogger } from '@ates/platform/log';
import type { RunningService } from '@ates/platform/service';
import { createTransport } from 'nodemailer';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { uuidv7 } from 'uuidv7';
import { beforeAll, describe, expect, it } from 'vitest';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../../../tools/test/ates.ts';
import { busMessageOf } from '../../../tools/test/busMessageOf.ts';
import { freshDatabase } from '../../../tools/test/databases.ts';
import { freePort } from '../../../tools/test/freePort.ts';
import { waitFor } from '../../../tools/test/waitFor.ts';
import { accountingService } from '../../accounting/src/service.ts';
import { tasksService } from '../../tasks/src/service.ts';
import { startSmtpSink } from '../src/adapters/smtp/smtpSink.ts';
import { smtpTransport } from '../src/adapters/smtp/smtpTransport.ts';
import { startEmailSender } from '../src/app/emailSender.ts';
import { notificationsService } from '../src/service.ts';

let ates: TestAtes;
let notifications: RunningService;
let worker: TestAccount;

const mailTo = async (email: string) =>
  (await ates.call('notifications', 'GET', '/api/mailbox', ates.admin.token)).body.mails.filter(
    (mail: { to: string[] }) => mail.to.includes(email),
  );

beforeAll(async () => {
  ates = await startAtes([tasksService, accountingService, notificationsService], {
    SMTP_SINK_PORT: String(await freePort()),
    EMAIL_SENDER_POLL_MS: '100',
    ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
  });
  notifications = ates.services['notifications']!;
  worker = await ates.account('worker', 'Kesha Popug');
  await waitForDirectory(ates.services['tasks']!, [worker.id]);
  await waitForDirectory(notifications, [worker.id]);
});

describe('payout emails', () => {
  it('mails the payout to the popug when the day closes, through a real SMTP server', async () => {
    const { body: task } = await ates.call('tasks', 'POST', '/api/tasks', ates.admin.token, {
      title: 'Count the feathers',
    });
    await ates.call('tasks', 'POST', `/api/tasks/${task.id}/complete`, worker.token);
    const earned = task.completion_reward - task.assign_fee;
    await waitFor(
      'the reward to be posted',
      async () => (await ates.call('accounting', 'GET', '/api/me', worker.token)).body.balance === earned,
    );
    const today = ates.services['accounting']!.context.clock.today();
    const closed = await ates.call('accounting', 'POST', `/api/days/${today}/close`, ates.admin.token);
    expect(closed.body.payouts).toBe(1);

    const [mail] = await waitFor('the email in the mailbox', async () => {
      const mails = await mailTo(worker.email);
      return mails.length > 0 ? mails : undefined;
    });
    const dollars = `$${Math.floor(earned / 100)}.${String(earned % 100).padStart(2, '0')}`;
    expect(mail.subject).toBe(`Your aTES payout for ${today}: ${dollars}`);
    expect(mail.body).toContain('Hello Kesha Popug,');
    expect(mail.from).toBe('accounting@uberpopug.test');
    const own = await ates.call('notifications', 'GET', '/api/mailbox', worker.token);
    expect(own.body.mails.map((m: { subject: string }) => m.subject)).toEqual([mail.subject]);
    const page = await ates.call('notifications', 'GET', '/', worker.token);
    expect(page.body).toContain(mail.subject);
  });

  it('sends one email per payout however often the event comes, a batch of payouts at a time', async () => {
    const days = ['2026-01-15', '2026-01-16', '2026-01-17'];
    const messages = days.map((business_day) => {
      const payout = createEvent(
        PayoutMadeV1,
        { payout_id: uuidv7(), account_id: worker.id, business_day, amount: 4_200 },
        { aggregateId: worker.id },
      );
      return { id: payout.event_id, name: payout.event_name, key: worker.id, body: JSON.stringify(payout) };
    });
    const bus = await PostgresLogBus.connect(ates.env['BUS_DATABASE_URL']!);
    await bus.publish([...messages, { ...messages[0]!, id: uuidv7() }]);
    await bus.publish([{ ...messages[1]!, id: uuidv7() }]);
    await bus.close();
    const mailedFor = async () =>
      (await mailTo(worker.email))
        .map((mail: { subject: string }) => mail.subject.match(/for (2026-01-1\d)/)?.[1])
        .filter(Boolean);
    await waitFor('the emails', async () => (await mailedFor()).length >= days.length);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await mailedFor()).sort()).toEqual(days);
  });

  it('sends each popug of a v3 batch one email, however often the batch comes', async () => {
    const others = [await ates.account('worker', 'Gosha Popug'), await ates.account('worker', 'Rio Popug')];
    await waitForDirectory(
      notifications,
      others.map((other) => other.id),
    );
    const popugs = [worker, ...others];
    const business_day = '2026-01-20';
    const batch = createEvent(
      PayoutMadeV3,
      {
        business_day,
        payouts: popugs.map((popug, index) => ({
          payout_id: uuidv7(),
          account_id: popug.id,
          amount: 1_000 * (index + 1),
          balance_after: 0,
        })),
      },
      { aggregateId: uuidv7() },
    );
    const bus = await PostgresLogBus.connect(ates.env['BUS_DATABASE_URL']!);
    await bus.publish([busMessageOf(batch), { ...busMessageOf(batch), id: uuidv7() }]);
    await bus.close();
    const mailedFor = async (popug: TestAccount) =>
      (await mailTo(popug.email))
        .map((mail: { subject: string }) => mail.subject)
        .filter((subject: string) => subject.includes(`for ${business_day}:`));
    await waitFor('the emails', async () => (await Promise.all(popugs.map(mailedFor))).every((m) => m.length > 0));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await Promise.all(popugs.map(mailedFor))).toEqual([
      [`Your aTES payout for ${business_day}: $10.00`],
      [`Your aTES payout for ${business_day}: $20.00`],
      [`Your aTES payout for ${business_day}: $30.00`],
    ]);
  });

  it('tells the balance actually left when the next business day already has postings', async () => {
    const clock = ates.services['accounting']!.context.clock;
    const bus = await PostgresLogBus.connect(ates.env['BUS_DATABASE_URL']!);
    const publish = (event: Envelope) => bus.publish([busMessageOf(event)]);
    const posted = (n: number) =>
      waitFor(
        `posting ${n} in the ledger`,
        async () =>
          (
            await ates.services['accounting']!.context.pool.query(
              'SELECT 1 FROM ledger_transfers WHERE employee_id = $1',
              [worker.id],
            )
          ).rowCount! >= n,
      );
    try {
      const before = (
        await ates.services['accounting']!.context.pool.query('SELECT 1 FROM ledger_transfers WHERE employee_id = $1', [
          worker.id,
        ])
      ).rowCount!;
      clock.advance(2 * 24 * 3_600_000);
      const day = clock.today();
      const done = uuidv7();
      await publish(
        createEvent(
          TaskCompletedV2,
          { task_id: done, assignee_id: worker.id, completion_reward: 3_000, completed_at: new Date().toISOString() },
          { aggregateId: done },
        ),
      );
      await posted(before + 1);
      clock.advance(24 * 3_600_000);
      const next = uuidv7();
      await publish(
        createEvent(
          TaskAssignedV2,
          {
            task_id: next,
            assignment_id: uuidv7(),
            assignee_id: worker.id,
            assign_fee: 1_500,
            cause: 'created',
            assigned_at: new Date().toISOString(),
          },
          { aggregateId: next },
        ),
      );
      await posted(before + 2);
      await ates.call('accounting', 'POST', `/api/days/${day}/close`, ates.admin.token);
      const mail = await waitFor('the email of the payout', async () =>
        (await mailTo(worker.email)).find((m: { subject: string }) => m.subject.includes(`for ${day}:`)),
      );
      expect(mail.subject).toBe(`Your aTES payout for ${day}: $30.00`);
      expect(mail.body).toContain(
        'Your balance after the payout is −$15.00, counting what was already posted to the next business day.',
      );
    } finally {
      await bus.close();
    }
  });

  it('shows a popug only the mails sent for their account, not everything that reached their address', async () => {
    // As if the address once belonged to someone else, whose payout mail is still in the sink.
    const transport = createTransport({ host: '127.0.0.1', port: Number(ates.env['SMTP_SINK_PORT']), secure: false });
    await transport.sendMail({
      from: 'accounting@uberpopug.test',
      to: worker.email,
      subject: 'Your aTES payout for 2025-12-31: $999.00',
      text: 'for the previous owner',
      messageId: '<payout-0191f0a4-8a4c-7b0e-9a3e-1c2d3e4f5a6b@ates.uberpopug>',
    });
    transport.close();
    await waitFor('the mail in the sink', async () =>
      (await mailTo(worker.email)).some((mail: { subject: string }) => mail.subject.includes('2025-12-31')),
    );
    const own = await ates.call('notifications', 'GET', '/api/mailbox', worker.token);
    expect(own.body.mails.map((mail: { subject: string }) => mail.subject)).not.toContain(
      'Your aTES payout for 2025-12-31: $999.00',
    );
    expect(own.body.total).toBe(own.body.mails.length);
  });

  it('sends many payout emails over a few kept SMTP connections, not one connection each', async () => {
    const pool = await databaseOwing('mail_pooled', 30);
    let connections = 0;
    let received = 0;
    const server = await smtpServer({
      onConnect: (_session, callback) => {
        connections += 1;
        callback();
      },
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => {
          received += 1;
          callback();
        });
      },
    });
    try {
      await sendEveryOwedEmail(pool, server.port, 30);
      expect(received).toBe(30);
      expect(connections).toBeLessThanOrEqual(5);
    } finally {
      await server.stop();
      await pool.end();
    }
  });

  it('sends a batch of emails side by side over the pool’s connections', async () => {
    const pool = await databaseOwing('mail_side_by_side', 4);
    // The server answers a mail only once another is in flight beside it, or after 2 s alone.
    const held: Array<() => void> = [];
    let mostAtOnce = 0;
    const releaseAll = () => {
      for (const release of held.splice(0)) release();
    };
    const server = await smtpServer({
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => {
          held.push(() => callback());
          mostAtOnce = Math.max(mostAtOnce, held.length);
          if (held.length >= 2) releaseAll();
          else setTimeout(releaseAll, 2_000);
        });
      },
    });
    try {
      await sendEveryOwedEmail(pool, server.port, 4);
      expect(mostAtOnce).toBe(2);
    } finally {
      await server.stop();
      await pool.end();
    }
  });

  it('marks the emails of a batch the server took as sent, and keeps the one it refused owed', async () => {
    const pool = await databaseOwing('mail_partly_refused', 3);
    const server = await smtpServer({
      onRcptTo: (address, _session, callback) =>
        address.address === 'popug2@uberpopug.test'
          ? callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }))
          : callback(),
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    try {
      const emails = await sendUntil(pool, server.port, 'every email tried', async () => {
        const { rows } = await pool.query<{
          email: string;
          status: string;
          sent_to: string | null;
          attempts: number;
          last_error: string | null;
        }>(
          `SELECT d.email, o.status, o.sent_to, o.attempts, o.last_error
           FROM outgoing_emails o JOIN directory_accounts d ON d.id = o.account_id ORDER BY d.email`,
        );
        return rows.every((row) => row.attempts > 0) ? rows : undefined;
      });
      expect(emails).toEqual([
        {
          email: 'popug1@uberpopug.test',
          status: 'sent',
          sent_to: 'popug1@uberpopug.test',
          attempts: 1,
          last_error: null,
        },
        {
          email: 'popug2@uberpopug.test',
          status: 'pending',
          sent_to: null,
          attempts: 1,
          last_error: expect.stringContaining('mailbox unavailable'),
        },
        {
          email: 'popug3@uberpopug.test',
          status: 'sent',
          sent_to: 'popug3@uberpopug.test',
          attempts: 1,
          last_error: null,
        },
      ]);
    } finally {
      await server.stop();
      await pool.end();
    }
  });

  it('keeps an email owed while the SMTP server is down, and delivers it when it is back', async () => {
    // A database of its own: no running service's sender may take the email first.
    const pool = await notificationsDatabase('mail_retry');
    const popug = uuidv7();
    const id = uuidv7();
    await pool.query(
      "INSERT INTO directory_accounts (id, email, full_name, role, state_at) VALUES ($1, 'kesha@uberpopug.test', 'Kesha', 'worker', now())",
      [popug],
    );
    await pool.query(
      "INSERT INTO outgoing_emails (id, account_id, business_day, amount) VALUES ($1, $2, '2026-02-01', 999)",
      [id, popug],
    );
    const port = await freePort();
    const transport = createTransport({ host: '127.0.0.1', port, secure: false, connectionTimeout: 2_000 });
    const sender = startEmailSender({ pool, transport, logger: createLogger('test'), pollMs: 100 });
    try {
      const failed = await waitFor('a failed attempt', async () => {
        const { rows } = await pool.query<{ status: string; attempts: number; last_error: string }>(
          'SELECT status, attempts, last_error FROM outgoing_emails WHERE id = $1',
          [id],
        );
        return rows[0]!.attempts > 0 ? rows[0] : undefined;
      });
      expect(failed).toMatchObject({
        status: 'pending',
        attempts: 1,
        last_error: expect.stringMatching(/ECONNREFUSED|connect/),
      });

      const sink = await startSmtpSink(pool, port);
      try {
        await pool.query('UPDATE outgoing_emails SET next_attempt_at = now() WHERE id = $1', [id]);
        await waitFor(
          'delivery',
          async () =>
            (await pool.query("SELECT 1 FROM outgoing_emails WHERE id = $1 AND status = 'sent'", [id])).rowCount === 1,
        );
        const { rows } = await pool.query<{ subject: string }>('SELECT subject FROM mailbox WHERE message_id = $1', [
          `<payout-${id}@ates.uberpopug>`,
        ]);
        expect(rows).toEqual([{ subject: 'Your aTES payout for 2026-02-01: $9.99' }]);
      } finally {
        await sink.stop();
      }
    } finally {
      await sender.stop();
      transport.close();
      await pool.end();
    }
  });
});

/** A notifications database of its own, migrated, that no running service's sender reads. */
async function notificationsDatabase(name: string): Promise<Pool> {
  const url = await freshDatabase(name);
  await migrateDatabase(url, accountDirectoryMigrations.dir, accountDirectoryMigrations.table);
  await migrateServiceDatabase(url, new URL('../migrations', import.meta.url).pathname);
  return createPool(url);
}

/** A notifications database of its own, owing one payout email to each of `emails` popugs. */
async function databaseOwing(name: string, emails: number): Promise<Pool> {
  const pool = await notificationsDatabase(name);
  await pool.query(
    `WITH popugs AS (
       INSERT INTO directory_accounts (id, email, full_name, role, state_at)
       SELECT gen_random_uuid(), 'popug' || n || '@uberpopug.test', 'Popug ' || n, 'worker', now() FROM generate_series(1, $1) n
       RETURNING id
     )
     INSERT INTO outgoing_emails (id, account_id, business_day, amount) SELECT gen_random_uuid(), id, '2026-02-02', 500 FROM popugs`,
    [emails],
  );
  return pool;
}

/** Runs a sender over the service's pooled transport to `port` until all `emails` are sent. */
async function sendEveryOwedEmail(pool: Pool, port: number, emails: number): Promise<void> {
  await sendUntil(
    pool,
    port,
    'every email sent',
    async () =>
      (await pool.query("SELECT 1 FROM outgoing_emails WHERE status = 'sent'")).rowCount === emails || undefined,
  );
}

/** Runs a sender over the service's pooled transport to `port` until `done` gives an answer. */
async function sendUntil<T>(pool: Pool, port: number, what: string, done: () => Promise<T | undefined>): Promise<T> {
  const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
  const sender = startEmailSender({ pool, transport, logger: createLogger('test'), pollMs: 100 });
  try {
    return await waitFor(what, done);
  } finally {
    await sender.stop();
    transport.close();
  }
}

/** An SMTP server of the test's own, on a free port. */
async function smtpServer(handlers: Pick<SMTPServerOptions, 'onConnect' | 'onRcptTo' | 'onData'>) {
  const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], ...handlers });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
