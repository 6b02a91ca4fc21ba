import { createHash, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { authIssuer, publicUrl, type ServiceName } from '../config/index.ts';
import { html } from '../http/html.ts';
import { page } from '../http/layout.ts';
import {
  type AuthenticatedUser,
  createTokenVerifier,
  InvalidTokenError,
  type Role,
  SigningKeysUnavailableError,
  type TokenVerifier,
} from './verifyAccessToken.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthenticatedUser | undefined;
    /** How the user was recognised: only cookies need CSRF protection. */
    authenticatedBy: 'cookie' | 'bearer' | undefined;
    accessToken: string | undefined;
  }
}

/** What the service knows of an account now; see `directoryStanding`. */
export interface CurrentStanding {
  role: Role | undefined;
  active: boolean;
  signedOutAt: Date | null;
}

export interface DashboardAuthOptions {
  service: ServiceName;
  env?: Record<string, string | undefined>;
  verifier?: TokenVerifier;
  /**
   * The account as the service knows it now (its directory, kept from account events):
   * a token is judged by the account's current role, and refused once the account is
   * disabled or signed out after the token was issued. A token names its holder; it does
   * not get to say what they may do after that changed.
   */
  standing?: (accountId: string) => Promise<CurrentStanding | undefined>;
  /** Signing keys revoked as compromised: a token signed with one is refused at once. */
  revokedKeys?: () => Promise<ReadonlySet<string>>;
}

const loginCookie = 'ates_login';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The token for forms of this session: whoever cannot read the session cookie cannot compute it. */
export function csrfTokenFor(request: FastifyRequest): string {
  return request.accessToken
    ? createHash('sha256').update(`csrf:${request.accessToken}`).digest('base64url').slice(0, 32)
    : '';
}

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length || expected === '') return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function wantsHtml(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}

/**
 * Only a path on this service's own origin, resolved as the browser will resolve it
 * (backslashes, tabs and all): never an open redirect.
 */
export function sameOriginPath(value: unknown, base: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/';
  try {
    const origin = new URL(base).origin;
    const resolved = new URL(value, origin);
    return resolved.origin === origin ? `${resolved.pathname}${resolved.search}${resolved.hash}` : '/';
  } catch {
    return '/';
  }
}

type Verdict = { refused: string } | { user: AuthenticatedUser };

/** Why a verified token no longer counts, or the user it stands for with their current role. */
function judge(user: AuthenticatedUser, standing: CurrentStanding | undefined): Verdict {
  if (!standing) return { user };
  if (!standing.active) return { refused: 'This account is disabled' };
  if (standing.signedOutAt && user.issuedAt < standing.signedOutAt.getTime())
    return { refused: 'This session has ended: you signed out, or your password changed. Sign in again' };
  return { user: standing.role ? { ...user, role: standing.role } : user };
}

/**
 * Single sign-on for a dashboard: `/login` sends the browser to the SSO (authorization
 * code + PKCE), `/auth/callback` takes the token, a cookie keeps it. API clients send
 * `Authorization: Bearer <token>` instead. Every token is verified offline.
 */
export async function registerDashboardAuth(app: FastifyInstance, options: DashboardAuthOptions): Promise<void> {
  const env = options.env ?? process.env;
  const issuer = authIssuer(env);
  const base = publicUrl(options.service, env);
  const sessionCookie = `ates_${options.service}_session`;
  const secureCookies = base.startsWith('https://');
  const verifier = options.verifier ?? createTokenVerifier({ issuer });
  let client: Promise<oidc.Configuration> | undefined;
  const clientConfiguration = () => {
    client ??= oidc
      .discovery(new URL(issuer), options.service, { token_endpoint_auth_method: 'none' }, oidc.None(), {
        execute: issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        client = undefined;
        throw error;
      });
    return client;
  };

  await app.register(cookie);
  await app.register(formbody);
  app.decorateRequest('user', undefined);
  app.decorateRequest('authenticatedBy', undefined);
  app.decorateRequest('accessToken', undefined);

  const judgeToken = async (token: string): Promise<Verdict> => {
    let verified: AuthenticatedUser;
    try {
      verified = await verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) return { refused: 'The access token is invalid or expired' };
      throw error;
    }
    const [revokedKeys, standing] = await Promise.all([options.revokedKeys?.(), options.standing?.(verified.id)]);
    if (revokedKeys?.has(String(decodeProtectedHeader(token).kid)))
      return { refused: 'This token was signed with a revoked key: sign in again' };
    return judge(verified, standing);
  };

  // Before validation: a stranger gets 401, not a lesson in the body schema.
  app.addHook('preValidation', async (request, reply) => {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const token = bearer ?? request.cookies[sessionCookie];
    if (!token) return;
    let verdict: Verdict;
    try {
      verdict = await judgeToken(token);
    } catch (error) {
      if (error instanceof SigningKeysUnavailableError) {
        return reply.status(503).send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'Your sign-in cannot be checked right now because the SSO is unreachable; try again shortly',
        });
      }
      // The account's standing comes from the database: an outage there is the HTTP shell's
      // 503, not a reason to call a good token bad.
      throw error;
    }
    if ('refused' in verdict) {
      if (bearer) return reply.status(401).send({ statusCode: 401, error: 'Unauthorized', message: verdict.refused });
      // A cookie that no longer counts is dropped; the route then asks the person to sign in.
      reply.clearCookie(sessionCookie, { path: '/' });
      return;
    }
    request.user = verdict.user;
    request.authenticatedBy = bearer ? 'bearer' : 'cookie';
    request.accessToken = token;
    if (request.authenticatedBy === 'cookie' && unsafeMethods.has(request.method)) {
      const given = (request.body as Record<string, unknown> | undefined)?.['_csrf'] ?? request.headers['x-csrf-token'];
      if (!sameToken(given, csrfTokenFor(request))) {
        return reply.status(403).send({
          statusCode: 403,
          error: 'Forbidden',
          message: 'The form is stale or came from another site (CSRF check failed); reload the page and try again',
        });
      }
    }
  });

  app.get(
    '/login',
    { schema: { querystring: { type: 'object', properties: { returnTo: { type: 'string', maxLength: 2_048 } } } } },
    async (request, reply) => {
      const returnTo = sameOriginPath((request.query as Record<string, unknown>)['returnTo'], base);
      let configuration: oidc.Configuration;
      try {
        configuration = await clientConfiguration();
      } catch {
        return reply
          .status(503)
          .type('text/html')
          .send(
            page({
              title: 'Sign-in unavailable',
              service: options.service,
              body: html`<h1>Sign-in is unavailable right now</h1><p>The single sign-on service cannot be reached. People who are already signed in keep working; try again in a minute.</p>`,
            }),
          );
      }
      const verifierCode = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      reply.setCookie(loginCookie, JSON.stringify({ state, verifier: verifierCode, returnTo }), {
        path: '/auth/callback',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        maxAge: 600,
      });
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: `${base}/auth/callback`,
        scope: 'openid profile email ates',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifierCode),
        code_challenge_method: 'S256',
        state,
      });
      return reply.redirect(url.href, 303);
    },
  );

  app.get('/auth/callback', async (request, reply) => {
    let pending: { state: string; verifier: string; returnTo: string };
    try {
      pending = JSON.parse(request.cookies[loginCookie] ?? '') as typeof pending;
    } catch {
      return reply.status(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The sign-in took too long or was started elsewhere; start again at /login',
      });
    }
    try {
      const tokens = await oidc.authorizationCodeGrant(await clientConfiguration(), new URL(`${base}${request.url}`), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
      });
      reply.clearCookie(loginCookie, { path: '/auth/callback' });
      reply.setCookie(sessionCookie, tokens.access_token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookies,
        maxAge: tokens.expires_in ?? 3_600,
      });
      return reply.redirect(sameOriginPath(pending.returnTo, base), 303);
    } catch (error) {
      request.log.warn({ err: error }, 'sign-in callback refused');
      return reply.status(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The sign-in could not be completed; start again at /login',
      });
    }
  });

  app.post('/logout', async (_request, reply) => {
    reply.clearCookie(sessionCookie, { path: '/' });
    const endSession = new URL(`${issuer}/oidc/session/end`);
    endSession.searchParams.set('client_id', options.service);
    endSession.searchParams.set('post_logout_redirect_uri', `${base}/`);
    return reply.redirect(endSession.href, 303);
  });
}

async function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: 401 | 403,
  message: string,
  service: ServiceName,
): Promise<FastifyReply> {
  if (status === 401 && wantsHtml(request))
    return reply.redirect(`/login?returnTo=${encodeURIComponent(request.url)}`, 303);
  if (wantsHtml(request)) {
    const user = request.user ? { name: request.user.name, role: request.user.role } : undefined;
    return reply
      .status(status)
      .type('text/html')
      .send(
        page({
          title: 'Not allowed',
          service,
          user,
          csrfToken: csrfTokenFor(request),
          body: html`<h1>403 — not for your role</h1><p data-testid="forbidden">${message}</p>`,
        }),
      );
  }
  return reply
    .status(status)
    .send({ statusCode: status, error: status === 401 ? 'Unauthorized' : 'Forbidden', message });
}

/** Declares who may use a route: any signed-in user, or only the listed roles. */
export function requireRole(service: ServiceName, ...allowed: Role[]): preValidationAsyncHookHandler {
  return async function checkRole(request, reply) {
    if (!request.user) return refuse(request, reply, 401, 'Sign in first: this needs an aTES account', service);
    if (allowed.length > 0 && !allowed.includes(request.user.role)) {
      return refuse(
        request,
        reply,
        403,
        `Only ${allowed.join(' or ')} may do this; you are signed in as ${request.user.role}`,
        service,
      );
    }
  };
}
