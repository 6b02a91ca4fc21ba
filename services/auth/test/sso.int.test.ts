import { decodeEnvelope } from '@ates/contracts';
import {
  CookieSession,
  createTokenVerifier,
  refreshAccessToken,
  registerDashboardAuth,
  requireRole,
  signInWithPassword,
} from '@ates/platform/auth';
import { PostgresLogBus } from '@ates/platform/bus';
import { createHttpServer, csrfTokenFor } from '@ates/platform/http';
import { type RunningService, startService } from '@ates/platform/service';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestEnv, testEnvironment } from '../../../tools/test/services.ts';
import { waitFor } from '../../../tools/test/waitFor.ts';
import { signIn } from '../src/app/signIn.ts';
import { authService } from '../src/service.ts';
import { developmentAdmin } from '../src/settings.ts';

let env: TestEnv;
let auth: RunningService;
let issuer: string;
let adminToken: string;

beforeAll(async () => {
  env = await testEnvironment();
  auth = await startTestService(authService, env);
  issuer = `http://127.0.0.1:${env['AUTH_PORT']}`;
  adminToken = (await signInWithPassword({ issuer, ...developmentAdmin })).accessToken;
});

async function api(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${issuer}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let counter = 0;
async function newAccount(fields: Partial<{ role: string; beak_shape: string | null; password: string }> = {}) {
  counter += 1;
  const email = `popug${counter}-${Date.now()}@uberpopug.test`;
  const password = fields.password ?? 'correct horse battery';
  const created = await api('POST', '/api/accounts', adminToken, {
    email,
    full_name: `Popug ${counter}`,
    role: 'worker',
    password,
    ...fields,
  });
  expect(created.status).toBe(201);
  return { id: created.body['id'] as string, email, password };
}

async function busEvents(): Promise<{ name: string; data: Record<string, unknown>; aggregate: string }[]> {
  const bus = await PostgresLogBus.connect(env['BUS_DATABASE_URL']!);
  const seen: { name: string; data: Record<string, unknown>; aggregate: string }[] = [];
  const group = `reader-${Math.random()}`;
  const subscription = await bus.subscribe({ group }, async (batch) => {
    for (const delivery of batch) {
      const decoded = decodeEnvelope(delivery.body);
      if (!decoded.ok) throw new Error(decoded.reason);
      seen.push({
        name: decoded.envelope.event_name,
        data: decoded.envelope.data as Record<string, unknown>,
        aggregate: decoded.envelope.aggregate_id,
      });
    }
  });
  await waitFor('the reader to catch up', async () => (await bus.lag(group)) === 0);
  await subscription.stop();
  await bus.close();
  return seen;
}

describe('signing in', () => {
  it('completes the code + PKCE flow with openid-client, and another service verifies the token', async () => {
    const tokens = await signInWithPassword({ issuer, ...developmentAdmin });
    expect(decodeProtectedHeader(tokens.accessToken)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const user = await createTokenVerifier({ issuer }).verify(tokens.accessToken);
    expect(user).toMatchObject({ role: 'admin', email: developmentAdmin.email, name: 'Popug Admin' });
    expect(tokens.refreshToken).toBeTruthy();
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/oidc/jwks`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('answers from the OIDC provider with the security headers every answer carries', async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect({
      status: response.status,
      policy: response.headers.get('content-security-policy'),
      sniffing: response.headers.get('x-content-type-options'),
      frames: response.headers.get('x-frame-options'),
    }).toEqual({
      status: 200,
      policy: expect.stringContaining("frame-ancestors 'none'"),
      sniffing: 'nosniff',
      frames: 'SAMEORIGIN',
    });
  });

  it('created the first admin from configuration and announced it', async () => {
    const created = (await busEvents()).filter(
      (event) => event.name === 'account.created' && event.data['email'] === developmentAdmin.email,
    );
    expect(created).toHaveLength(1);
    expect(created[0]!.data).toMatchObject({ role: 'admin', active: true });
  });

  it('refuses a wrong password', async () => {
    const { email } = await newAccount();
    await expect(signInWithPassword({ issuer, email, password: 'not the password' })).rejects.toMatchObject({
      status: 401,
      message: 'Wrong email, password or beak shape.',
    });
  });

  it('requires the registered beak shape as a second factor', async () => {
    const { email, password } = await newAccount({ beak_shape: 'hooked' });
    await expect(signInWithPassword({ issuer, email, password })).rejects.toMatchObject({ status: 401 });
    await expect(signInWithPassword({ issuer, email, password, beakShape: 'spoon' })).rejects.toMatchObject({
      status: 401,
    });
    const tokens = await signInWithPassword({ issuer, email, password, beakShape: 'hooked' });
    expect((await createTokenVerifier({ issuer }).verify(tokens.accessToken)).email).toBe(email);
  });

  it('refuses a disabled account, also when it refreshes a token', async () => {
    const { id, email, password } = await newAccount();
    const tokens = await signInWithPassword({ issuer, email, password });
    expect((await api('PATCH', `/api/accounts/${id}`, adminToken, { active: false })).status).toBe(200);
    await expect(signInWithPassword({ issuer, email, password })).rejects.toMatchObject({
      status: 403,
      message: 'This account is disabled. Ask an admin to enable it.',
    });
    await expect(refreshAccessToken({ issuer, refreshToken: tokens.refreshToken! })).rejects.toThrow();
    const events = (await busEvents()).filter((event) => event.aggregate === id).map((event) => event.name);
    expect(events).toEqual(['account.created', 'account.disabled', 'account.updated', 'account.signed_out']);
  });

  it('refuses the token a disabled account still holds, at once', async () => {
    const { id, email, password } = await newAccount();
    const { accessToken } = await signInWithPassword({ issuer, email, password });
    expect((await api('GET', '/api/me', accessToken)).status).toBe(200);
    await api('PATCH', `/api/accounts/${id}`, adminToken, { active: false });
    expect(await api('GET', '/api/me', accessToken)).toMatchObject({
      status: 401,
      body: { message: 'This account is disabled' },
    });
  });

  it('judges a demoted admin by its current role, whatever its token says', async () => {
    const { id, email, password } = await newAccount();
    await api('PATCH', `/api/accounts/${id}`, adminToken, { role: 'admin' });
    const { accessToken } = await signInWithPassword({ issuer, email, password });
    expect((await api('GET', '/api/accounts', accessToken)).status).toBe(200);
    await api('PATCH', `/api/accounts/${id}`, adminToken, { role: 'worker' });
    expect((await api('PATCH', `/api/accounts/${id}`, accessToken, { role: 'admin' })).status).toBe(403);
    expect((await api('GET', '/api/accounts', accessToken)).status).toBe(403);
  });

  it('ends every session when the password changes: old tokens and refresh tokens stop working', async () => {
    const { id, email, password } = await newAccount();
    const tokens = await signInWithPassword({ issuer, email, password });
    await api('PATCH', `/api/accounts/${id}`, adminToken, { password: 'a brand new password' });
    expect((await api('GET', '/api/me', tokens.accessToken)).status).toBe(401);
    await expect(refreshAccessToken({ issuer, refreshToken: tokens.refreshToken! })).rejects.toThrow();
    const again = await signInWithPassword({ issuer, email, password: 'a brand new password' });
    expect((await api('GET', '/api/me', again.accessToken)).status).toBe(200);
  });

  it('throttles guessing: after 5 failures even the right password waits', async () => {
    const { email, password } = await newAccount();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expect(signInWithPassword({ issuer, email, password: `guess ${attempt} wrong` })).rejects.toMatchObject({
        status: 401,
      });
    }
    await expect(signInWithPassword({ issuer, email, password })).rejects.toMatchObject({
      status: 429,
      message: 'Too many failed sign-ins for this account. Try again in 15 minutes.',
    });
  });
});

describe('standard claims', () => {
  it('puts email, name and role in the ID token', async () => {
    const { email, password } = await newAccount();
    const { idToken } = await signInWithPassword({ issuer, email, password });
    expect(decodeJwt(idToken!)).toMatchObject({ email, name: expect.stringMatching(/^Popug \d+$/), role: 'worker' });
  });

  it('answers userinfo with email, name and role for a client asking for the standard scopes', async () => {
    const { email, password } = await newAccount();
    const { accessToken } = await signInWithPassword({ issuer, email, password, scope: 'openid profile email' });
    const response = await fetch(`${issuer}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect({ status: response.status, body: await response.json() }).toMatchObject({
      status: 200,
      body: { email, role: 'worker' },
    });
  });
});

describe('the sign-in throttle', () => {
  const attempt = (email: string, password: string, address: string, beakShape?: string) =>
    signIn(auth.context.pool, { email, password, address, beakShape });

  it('counts concurrent guesses before checking them: 40 at once get at most 5 checks', async () => {
    const { email } = await newAccount();
    const results = await Promise.all(Array.from({ length: 40 }, (_, n) => attempt(email, `guess ${n}`, '10.1.0.1')));
    const statuses = results.map((result) => (result.ok ? 200 : result.status));
    expect({
      checked: statuses.filter((status) => status === 401).length,
      refused: statuses.filter((status) => status === 429).length,
    }).toEqual({ checked: 5, refused: 35 });
  });

  it('counts a wrong beak shape like a wrong password', async () => {
    const { email, password } = await newAccount({ beak_shape: 'hooked' });
    for (const beak of ['spoon', 'needle', 'cone', 'chisel', 'probe'])
      expect((await attempt(email, password, '10.2.0.1', beak)).ok).toBe(false);
    expect(await attempt(email, password, '10.2.0.1', 'hooked')).toMatchObject({ ok: false, status: 429 });
  });

  it('does not let a stranger elsewhere lock the owner out', async () => {
    const { email, password } = await newAccount();
    for (let n = 0; n < 6; n += 1) await attempt(email, `stranger ${n}`, '203.0.113.66');
    expect(await attempt(email, 'the right one?', '203.0.113.66')).toMatchObject({ ok: false, status: 429 });
    expect((await attempt(email, password, '192.0.2.10')).ok).toBe(true);
  });
});

describe('tokens', () => {
  const verifier = () => createTokenVerifier({ issuer });
  const claims = { role: 'admin', email: 'evil@uberpopug.test', name: 'Evil' };

  it('rejects an expired token', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 * 3_600_000 });
    try {
      await expect(verifier().verify(adminToken)).rejects.toThrow(/exp/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a token signed with another key under the real key id', async () => {
    const { kid } = decodeProtectedHeader(adminToken);
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .setIssuer(issuer)
      .setAudience('urn:ates')
      .setSubject('00000000-0000-7000-8000-000000000000')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verifier().verify(forged)).rejects.toThrow(/signature/);
  });

  it("rejects alg 'none' and an HMAC signed with the public key", async () => {
    const unsigned = new UnsecuredJWT(claims)
      .setIssuer(issuer)
      .setAudience('urn:ates')
      .setSubject('x')
      .setExpirationTime('1h')
      .encode();
    await expect(verifier().verify(unsigned)).rejects.toThrow();
    const publicJwk = ((await (await fetch(`${issuer}/oidc/jwks`)).json()) as { keys: object[] }).keys[0]!;
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience('urn:ates')
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    await expect(verifier().verify(hmac)).rejects.toThrow();
    expect((await api('GET', '/api/accounts', unsigned)).status).toBe(401);
  });

  it('shows a role change in the next token and on the event stream', async () => {
    const { id, email, password } = await newAccount();
    const before = await signInWithPassword({ issuer, email, password });
    expect((await verifier().verify(before.accessToken)).role).toBe('worker');
    expect((await api('PATCH', `/api/accounts/${id}`, adminToken, { role: 'manager' })).body['role']).toBe('manager');
    const refreshed = await refreshAccessToken({ issuer, refreshToken: before.refreshToken! });
    expect((await verifier().verify(refreshed.accessToken)).role).toBe('manager');
    const events = (await busEvents()).filter((event) => event.aggregate === id);
    expect(events.map((event) => event.name)).toEqual(['account.created', 'account.role_changed', 'account.updated']);
    expect(events[1]!.data).toEqual({ account_id: id, old_role: 'worker', new_role: 'manager' });
  });
});

describe('account management', () => {
  it('lets only admins manage accounts', async () => {
    const { email, password } = await newAccount();
    const worker = (await signInWithPassword({ issuer, email, password })).accessToken;
    expect((await api('GET', '/api/accounts', undefined)).status).toBe(401);
    expect(await api('GET', '/api/accounts', worker)).toMatchObject({
      status: 403,
      body: { message: 'Only admin may do this; you are signed in as worker' },
    });
    expect(
      (
        await api('POST', '/api/accounts', worker, {
          email: 'x@y.zz',
          full_name: 'X',
          role: 'admin',
          password: 'long enough pw',
        })
      ).status,
    ).toBe(403);
    expect((await api('GET', '/api/me', worker)).body['email']).toBe(email);
    expect((await api('GET', '/api/accounts', adminToken)).status).toBe(200);
  });

  it('explains bad input', async () => {
    expect(
      await api('POST', '/api/accounts', adminToken, {
        email: 'not-an-email',
        full_name: 'X',
        role: 'worker',
        password: 'long enough pw',
      }),
    ).toMatchObject({
      status: 400,
      body: { message: '"not-an-email" is not an email address' },
    });
    expect(
      (
        await api('POST', '/api/accounts', adminToken, {
          email: 'a@b.cc',
          full_name: 'X',
          role: 'boss',
          password: 'long enough pw',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/api/accounts', adminToken, {
          email: 'a@b.cc',
          full_name: 'X',
          role: 'worker',
          password: 'short',
        })
      ).body['message'],
    ).toMatch(/password/);
    expect(
      (
        await api('POST', '/api/accounts', adminToken, {
          email: developmentAdmin.email,
          full_name: 'X',
          role: 'worker',
          password: 'long enough pw',
        })
      ).status,
    ).toBe(409);
  });

  it('lets nobody change their own role or state, so the last admin cannot step down', async () => {
    const me = await api('GET', '/api/me', adminToken);
    expect(await api('PATCH', `/api/accounts/${String(me.body['id'])}`, adminToken, { role: 'worker' })).toMatchObject({
      status: 403,
      body: { message: 'Nobody changes their own role or state: ask another admin' },
    });
  });

  it("asks for the current password before one's own password changes", async () => {
    const { id, email, password } = await newAccount();
    const { accessToken } = await signInWithPassword({ issuer, email, password });
    expect((await api('PATCH', `/api/accounts/${id}`, accessToken, { password: 'an entirely new one' })).status).toBe(
      403,
    );
    await api('PATCH', `/api/accounts/${id}`, adminToken, { role: 'admin' });
    expect(await api('PATCH', `/api/accounts/${id}`, accessToken, { password: 'an entirely new one' })).toMatchObject({
      status: 400,
      body: { message: 'Type your current password to change your password or beak shape' },
    });
    expect(
      (
        await api('PATCH', `/api/accounts/${id}`, accessToken, {
          password: 'an entirely new one',
          current_password: 'a wrong guess',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api('PATCH', `/api/accounts/${id}`, accessToken, {
          password: 'an entirely new one',
          current_password: password,
        })
      ).status,
    ).toBe(200);
  });

  it("asks for the current password before one's beak shape changes, and refuses an unknown shape", async () => {
    const { email, password } = await newAccount({ beak_shape: 'hooked' });
    const { accessToken } = await signInWithPassword({ issuer, email, password, beakShape: 'hooked' });
    const post = (fields: Record<string, string>) =>
      fetch(`${issuer}/account`, {
        method: 'POST',
        redirect: 'manual',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
    expect((await post({ beak: '' })).status).toBe(400);
    expect((await post({ beak: 'trumpet', current_password: password })).status).toBe(400);
    expect((await post({ beak: '', current_password: password })).status).toBe(303);
  });
});

describe('dashboard single sign-on', () => {
  let dashboard: ReturnType<typeof createHttpServer>;
  let dashboardUrl: string;

  beforeAll(async () => {
    dashboard = createHttpServer({ service: 'tasks' });
    await registerDashboardAuth(dashboard, { service: 'tasks', env });
    dashboard.get('/mine', { preValidation: requireRole() }, async (request) => ({
      hello: request.user!.name,
      csrf: csrfTokenFor(request),
    }));
    dashboard.post('/act', { preValidation: requireRole('admin') }, async () => ({ done: true }));
    await dashboard.listen({ port: Number(env['TASKS_PORT']), host: '127.0.0.1' });
    dashboardUrl = `http://127.0.0.1:${env['TASKS_PORT']}`;
  });
  afterAll(() => dashboard.close());

  it('sends a browser straight to the SSO, without a detour through /login', async () => {
    const response = await fetch(`${dashboardUrl}/mine`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.headers.get('location')).toMatch(new RegExp(`^${issuer}/oidc/auth\\?`));
  });

  it('sends a stranger through the SSO login and back, then checks CSRF on forms', async () => {
    const browser = new CookieSession();
    const start = new URL(`${dashboardUrl}/mine`);
    const toLogin = await browser.follow(await browser.fetch(start, { headers: { accept: 'text/html' } }), start);
    expect(toLogin.url.pathname).toMatch(/^\/interaction\//);
    expect(await toLogin.response.text()).toContain('Sign in to aTES');
    const submitted = await browser.postForm(new URL(`${toLogin.url.pathname}/login`, toLogin.url), {
      ...developmentAdmin,
      beak: '',
    });
    const back = await browser.follow(submitted, toLogin.url);
    expect(back.url.href).toBe(`${dashboardUrl}/mine`);
    const { hello, csrf } = (await back.response.json()) as { hello: string; csrf: string };
    expect(hello).toBe('Popug Admin');

    expect((await browser.postForm(`${dashboardUrl}/act`, {})).status).toBe(403);
    expect((await browser.postForm(`${dashboardUrl}/act`, { _csrf: 'forged' })).status).toBe(403);
    const accepted = await browser.postForm(`${dashboardUrl}/act`, { _csrf: csrf });
    expect(accepted.status).toBe(200);
  });
});

describe('keys and outages', () => {
  it('rotates the signing key without a restart or logging anyone out, and tokens keep verifying while the SSO is down', async () => {
    const verifier = createTokenVerifier({ issuer });
    const old = await signInWithPassword({ issuer, ...developmentAdmin });
    await verifier.verify(old.accessToken);
    expect((await api('POST', '/api/ops/signing-keys/rotate', old.accessToken)).status).toBe(200);
    const newKid = (await api('POST', '/api/ops/signing-keys/rotate', old.accessToken)).body['signing_key_id'];
    try {
      const fresh = await signInWithPassword({ issuer, ...developmentAdmin });
      expect(decodeProtectedHeader(fresh.accessToken).kid).toBe(newKid);
      expect(decodeProtectedHeader(old.accessToken).kid).not.toBe(newKid);
      // A service that has not seen the new key id fetches the keys again (at most every 10 s).
      const another = createTokenVerifier({ issuer });
      await expect(another.verify(fresh.accessToken)).resolves.toMatchObject({ role: 'admin' });
      await expect(another.verify(old.accessToken)).resolves.toMatchObject({ role: 'admin' });
    } finally {
      await auth.stop();
    }
    // The SSO is down now: what the verifier has seen keeps verifying.
    await expect(verifier.verify(old.accessToken)).resolves.toMatchObject({ role: 'admin' });
    auth = await startService(authService, env);
  });
});

afterAll(async () => {
  await auth.stop().catch(() => undefined);
});
