import { services, type ServiceName } from '../../packages/platform/src/config/index.ts';
import { startService, type RunningService, type ServiceDefinition } from '../../packages/platform/src/service/index.ts';
import { afterAll } from 'vitest';
import { freshDatabase } from './databases.ts';
import { freePort } from './freePort.ts';

export type TestEnv = Record<string, string | undefined>;

/**
 * Settings for a whole aTES in one test file: a fresh database per service and for the
 * bus log on the embedded server, and a free port per service.
 */
export async function testEnvironment(overrides: TestEnv = {}): Promise<TestEnv> {
  const env: TestEnv = { NODE_ENV: 'test', BUS_DATABASE_URL: await freshDatabase('bus') };
  for (const name of Object.keys(services) as ServiceName[]) {
    env[`${name.toUpperCase()}_PORT`] = String(await freePort());
    env[`${name.toUpperCase()}_DATABASE_URL`] = await freshDatabase(name);
  }
  return { ...env, ...overrides };
}

/** Starts a service for the rest of the test file. */
export async function startTestService(definition: ServiceDefinition, env: TestEnv): Promise<RunningService> {
  const running = await startService(definition, env);
  afterAll(() => running.stop());
  return running;
}
