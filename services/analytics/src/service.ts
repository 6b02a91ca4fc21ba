import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accountDirectoryMigrations, judgeByDirectory } from '@ates/platform/accounts';
import { registerDashboardAuth } from '@ates/platform/auth';
import { createHttpServer } from '@ates/platform/http';
import { opsRoutes, type ServiceDefinition } from '@ates/platform/service';
import { analyticsRoutes } from './adapters/http/analyticsRoutes.ts';
import { AnalyticsProjection, analyticsGroup } from './app/analyticsProjection.ts';

export const analyticsService: ServiceDefinition = {
  name: 'analytics',
  migrationsDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations'),
  // Analytics is for admins: it keeps the directory to know who is one right now.
  moduleMigrations: [accountDirectoryMigrations],
  async compose({ pool, readPool, bus, env, logger, clock, tracing }) {
    const projection = new AnalyticsProjection({ bus, pool, clock, logger, tracing });
    await projection.start();
    const http = createHttpServer({ service: 'analytics', readiness: { db: pool, bus }, tracing });
    await registerDashboardAuth(http, {
      service: 'analytics',
      env,
      ...judgeByDirectory(readPool),
    });
    await http.register(analyticsRoutes, { readPool, clock, projection });
    await http.register(opsRoutes, { service: 'analytics', pool, bus, groups: [analyticsGroup] });
    return { http, onStop: () => projection.stop() };
  },
};
