import type { Envelope } from '../../packages/contracts/src/index.ts';
import { signInWithPassword } from '../../packages/platform/src/auth/index.ts';
import type { RunningService, ServiceDefinition } from '../../packages/platform/src/service/index.ts';
import { authService } from '../../services/auth/src/service.ts';
import { developmentAdmin } from '../../services/auth/src/settings.ts';
import { readWholeLog } from './busLog.ts';
import { startTestService, type TestEnv, testEnvironment } from './services.ts';
import { waitFor } from './waitFor.ts';

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  role: string;
  token: string;
}

/** A running aTES for one test file: auth plus the services under test, and helpers to act as people. */
export interface TestAtes {
  env: TestEnv;
  issuer: string;
  admin: TestAccount;
  services: Record<string, RunningService>;
  urlOf(service: string): string;
  /** Creates an account through the SSO's API and signs it in. */
  account(role: 'admin' | 'manager' | 'accountant' | 'worker', name?: string): Promise<TestAccount>;
  call(
    service: string,
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely; a wrong field fails their assertion
  ): Promise<{ status: number; body: any }>;
  /** Every event on the bus so far, validated against the registry. */
  events(): Promise<Envelope[]>;
}

let accountCounter = 0;

export async function startAtes(definitions: ServiceDefinition[], overrides: TestEnv = {}): Promise<TestAtes> {
  const env = await testEnvironment(overrides);
  const services: Record<string, RunningService> = { auth: await startTestService(authService, env) };
  for (const definition of definitions) services[definition.name] = await startTestService(definition, env);
  const urlOf = (service: string) => `http://127.0.0.1:${env[`${service.toUpperCase()}_PORT`]}`;
  const issuer = urlOf('auth');
  const call: TestAtes['call'] = async (service, method, path, token, body) => {
    const response = await fetch(`${urlOf(service)}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // pages are not JSON
    }
    return { status: response.status, body: parsed };
  };
  const adminTokens = await signInWithPassword({ issuer, ...developmentAdmin });
  const me = await call('auth', 'GET', '/api/me', adminTokens.accessToken);
  const admin: TestAccount = { id: me.body.id, ...developmentAdmin, role: 'admin', token: adminTokens.accessToken };
  return {
    env,
    issuer,
    admin,
    services,
    urlOf,
    call,
    async account(role, name) {
      accountCounter += 1;
      const email = `${role}${accountCounter}.${Date.now()}@uberpopug.test`;
      const password = 'popug password 1';
      const created = await call('auth', 'POST', '/api/accounts', admin.token, {
        email,
        full_name: name ?? `${role} popug ${accountCounter}`,
        role,
        password,
      });
      if (created.status !== 201) throw new Error(`could not create account: ${JSON.stringify(created.body)}`);
      const tokens = await signInWithPassword({ issuer, email, password });
      return { id: created.body.id, email, password, role, token: tokens.accessToken };
    },
    events: () => readWholeLog(env),
  };
}

/** Waits until a service's copy of the account directory knows these accounts. */
export async function waitForDirectory(service: RunningService, ids: string[]): Promise<void> {
  await waitFor(`${service.context.name} to learn ${ids.length} accounts`, async () => {
    const { rows } = await service.context.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM directory_accounts WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows[0]!.n === ids.length;
  });
}
