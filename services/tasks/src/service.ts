import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountDirectoryHandlers, accountDirectoryMigrations, judgeByDirectory } from '@ates/platform/accounts';
import { registerDashboardAuth } from '@ates/platform/auth';
import { readInteger } from '@ates/platform/config';
import { createHttpServer } from '@ates/platform/http';
import { EventConsumer } from '@ates/platform/inbox';
import { opsRoutes, type ServiceDefinition } from '@ates/platform/service';
import { taskRoutes } from './adapters/http/taskRoutes.ts';
import { resumeStalledShuffles } from './app/shuffleOpenTasks.ts';

export const tasksService: ServiceDefinition = {
  name: 'tasks',
  migrationsDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations'),
  moduleMigrations: [accountDirectoryMigrations],
  async compose({ pool, readPool, bus, env, logger, tracing }) {
    const accounts = await EventConsumer.start({
      bus,
      pool,
      group: 'tasks.accounts',
      handlers: accountDirectoryHandlers(),
      logger,
      tracing,
    });
    const http = createHttpServer({ service: 'tasks', readiness: { db: pool, bus }, tracing });
    await registerDashboardAuth(http, {
      service: 'tasks',
      env,
      ...judgeByDirectory(readPool),
    });
    await http.register(taskRoutes, { pool, readPool });
    await http.register(opsRoutes, { service: 'tasks', pool, bus, groups: ['tasks.accounts'] });
    // A shuffle whose process died is finished by another instance, or by this one restarting.
    const shuffles = resumeStalledShuffles(pool, logger, {
      everyMs: readInteger('TASKS_SHUFFLE_RESUME_INTERVAL_MS', 30_000, env),
      idleSeconds: readInteger('TASKS_SHUFFLE_STALLED_AFTER_S', 60, env),
    });
    return { http, consumers: [accounts], onStop: () => shuffles.stop() };
  },
};
