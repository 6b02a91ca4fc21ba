import { afterAll } from 'vitest';
import { provisionBusProducers } from '../../packages/platform/src/bus/index.ts';
import { type ServiceName, services } from '../../packages/platform/src/config/index.ts';
import {
  type RunningService,
  type ServiceDefinition,
  startService,
} from '../../packages/platform/src/service/index.ts';
import { freshDatabase } from './databases.ts';
import { freePort } from './freePort.ts';

export type TestEnv = Record<string, string | undefined>;

/**
 * Settings for a whole aTES in one test file: a fresh database per service and for the
 * bus log on the embedded server, and a free port per service.
 */
export async function testEnvironment(overrides: TestEnv = {}): Promise<TestEnv> {
  const busUrl = await freshDatabase('bus');
  const env: TestEnv = { NODE_ENV: 'test', BUS_DATABASE_URL: busUrl };
  for (const name of Object.keys(services) as ServiceName[]) {
    env[`${name.toUpperCase()}_PORT`] = String(await freePort());
    env[`${name.toUpperCase()}_DATABASE_URL`] = await freshDatabase(name);
  }
  Object.assign(env, overrides);
  if (!env['BUS_URL']?.startsWith('nats://')) {
    // Each service reaches the log as its own role, as under npm start: publishing another
    // service's event fails in tests too. BUS_DATABASE_URL stays the owner, for the tests' own reads and writes.
    const producerUrls = await provisionBusProducers(busUrl, Object.keys(services));
    for (const name of Object.keys(services)) env[`${name.toUpperCase()}_BUS_URL`] ??= producerUrls[name];
  }
  return env;
}

/** Starts a service for the rest of the test file. */
export async function startTestService(definition: ServiceDefinition, env: TestEnv): Promise<RunningService> {
  const running = await startService(definition, env);
  afterAll(() => running.stop());
  return running;
}
