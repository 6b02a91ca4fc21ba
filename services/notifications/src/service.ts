import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountDirectoryMigrations, judgeByDirectory } from '@ates/platform/accounts';
import { registerDashboardAuth } from '@ates/platform/auth';
import { readInteger, readOptional } from '@ates/platform/config';
import { createHttpServer } from '@ates/platform/http';
import { EventConsumer } from '@ates/platform/inbox';
import { opsRoutes, type ServiceDefinition } from '@ates/platform/service';
import { mailboxRoutes } from './adapters/http/mailboxRoutes.ts';
import { startSmtpSink } from './adapters/smtp/smtpSink.ts';
import { smtpTransport } from './adapters/smtp/smtpTransport.ts';
import { startEmailSender } from './app/emailSender.ts';
import { notificationHandlers } from './app/eventHandlers.ts';

export const notificationsService: ServiceDefinition = {
  name: 'notifications',
  migrationsDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations'),
  moduleMigrations: [accountDirectoryMigrations],
  async compose({ pool, readPool, bus, env, logger, clock, tracing }) {
    // Without SMTP_URL, aTES runs its own SMTP sink and sends there.
    const smtpUrl = readOptional('SMTP_URL', env);
    const sinkPort = readInteger('SMTP_SINK_PORT', 2525, env);
    const sink = smtpUrl ? undefined : await startSmtpSink(pool, sinkPort);
    const transport = smtpTransport(smtpUrl ?? `smtp://127.0.0.1:${sinkPort}`);
    const sender = startEmailSender({
      pool,
      transport,
      logger,
      pollMs: readInteger('EMAIL_SENDER_POLL_MS', 1_000, env),
      tracing,
    });
    const payouts = await EventConsumer.start({
      bus,
      pool,
      group: 'notifications.payouts',
      handlers: notificationHandlers(),
      logger,
      tracing,
    });
    const http = createHttpServer({ service: 'notifications', readiness: { db: pool, bus }, tracing });
    await registerDashboardAuth(http, {
      service: 'notifications',
      env,
      ...judgeByDirectory(readPool),
    });
    await http.register(mailboxRoutes, { readPool, sinkRunning: Boolean(sink), timeZone: clock.timeZone });
    await http.register(opsRoutes, { service: 'notifications', pool, bus, groups: ['notifications.payouts'] });
    return {
      http,
      consumers: [payouts],
      async onStop() {
        await sender.stop();
        transport.close();
        await sink?.stop();
      },
    };
  },
};
