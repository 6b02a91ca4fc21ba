import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountDirectoryMigrations, judgeByDirectory } from '@ates/platform/accounts';
import { registerDashboardAuth } from '@ates/platform/auth';
import { readInteger } from '@ates/platform/config';
import { createHttpServer } from '@ates/platform/http';
import { EventConsumer } from '@ates/platform/inbox';
import { opsRoutes, type ServiceDefinition } from '@ates/platform/service';
import { accountingRoutes } from './adapters/http/accountingRoutes.ts';
import { startDayCloser } from './app/dayCloser.ts';
import { accountingHandlers, ledgerBatching } from './app/eventHandlers.ts';

export const accountingService: ServiceDefinition = {
  name: 'accounting',
  migrationsDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations'),
  moduleMigrations: [accountDirectoryMigrations],
  async compose({ pool, readPool, bus, env, logger, clock, tracing }) {
    const ledger = await EventConsumer.start({
      bus,
      pool,
      group: 'accounting.ledger',
      handlers: accountingHandlers(clock),
      ...ledgerBatching,
      // On NATS several accounting processes post at once, each its share of the tasks.
      partitioned: true,
      logger,
      tracing,
    });
    const closer = startDayCloser(pool, clock, logger, readInteger('ACCOUNTING_DAY_CLOSER_INTERVAL_MS', 60_000, env));
    const http = createHttpServer({ service: 'accounting', readiness: { db: pool, bus }, tracing });
    await registerDashboardAuth(http, {
      service: 'accounting',
      env,
      ...judgeByDirectory(readPool),
    });
    await http.register(accountingRoutes, { pool, readPool, clock });
    await http.register(opsRoutes, {
      service: 'accounting',
      pool,
      bus,
      groups: ['accounting.ledger'],
      details: () => ({
        days_failing_to_close: closer.failing().map((failed) => ({
          day: failed.day,
          attempts: failed.attempts,
          error: failed.error,
          next_attempt_at: failed.nextAttemptAt.toISOString(),
        })),
      }),
    });
    return { http, consumers: [ledger], onStop: () => closer.stop() };
  },
};
