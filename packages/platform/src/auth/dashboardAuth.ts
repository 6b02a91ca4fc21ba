import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import * as oidc from 'openid-client';
import { authIssuer, publicUrl, type ServiceName } from '../config/index.ts';
import { RuleBroken } from '../errors/index.ts';
import { sendPage } from '../http/sendPage.ts';
import { typed } from '../http/typed.ts';
import { csrfTokenFor, viewContextOf } from '../http/viewContextOf.ts';
import { wantsHtml } from '../http/wantsHtml.ts';
import { errorPage } from '../views/index.ts';
import {
  type AuthenticatedUser,
  createTokenVerifier,
  InvalidTokenError,
  type Role,
  SigningKeysUnavailableError,
  type TokenVerifier,
} from './verifyAccessToken.ts';

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

function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length || expected === '') return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
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
    if (revokedKeys?.has(verified.keyId)) return { refused: 'This token was signed with a revoked key: sign in again' };
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
        throw new RuleBroken(
          'forbidden',
          'The form is stale or came from another site (CSRF check failed); reload the page and try again',
        );
      }
    }
  });

  /** Sends the browser to the SSO, to come back to `path` (only ever a path on this service). */
  const beginSignIn = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
    const returnTo = sameOriginPath(path, base);
    let configuration: oidc.Configuration;
    try {
      configuration = await clientConfiguration();
    } catch {
      return sendPage(
        reply.status(503),
        errorPage(options.service, viewContextOf(request), {
          status: 503,
          message:
            'Sign-in is unavailable: the single sign-on service cannot be reached. People who are already signed in keep working; try again in a minute.',
          requestId: request.id,
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
  };
  // requireRole sends a browser straight to the SSO: one redirect fewer than through /login.
  app.decorate(signInStarter, beginSignIn);

  typed(app).get(
    '/login',
    { schema: { querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2_048 })) }) } },
    async (request, reply) => beginSignIn(request, reply, request.query.returnTo ?? '/'),
  );

  app.get('/auth/callback', async (request, reply) => {
    let pending: { state: string; verifier: string; returnTo: string };
    try {
      pending = JSON.parse(request.cookies[loginCookie] ?? '') as typeof pending;
    } catch {
      throw new RuleBroken('invalid', 'The sign-in took too long or was started elsewhere; start again at /login');
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
      throw new RuleBroken('invalid', 'The sign-in could not be completed; start again at /login');
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

const signInStarter = 'atesBeginSignIn';
declare module 'fastify' {
  interface FastifyInstance {
    [signInStarter]?: (request: FastifyRequest, reply: FastifyReply, returnTo: string) => Promise<FastifyReply>;
  }
}

async function refuse(request: FastifyRequest, reply: FastifyReply, message: string): Promise<FastifyReply> {
  if (!wantsHtml(request)) return reply.status(401).send({ statusCode: 401, error: 'Unauthorized', message });
  // After signing in, a page comes back to where it was; a form post comes back to the dashboard.
  const returnTo = request.method === 'GET' ? request.url : '/';
  const beginSignIn = request.server[signInStarter];
  if (beginSignIn) return beginSignIn(request, reply, returnTo);
  return reply.redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`, 303);
}

/** Declares who may use a route: any signed-in user, or only the listed roles. */
export function requireRole(...allowed: Role[]): preValidationAsyncHookHandler {
  return async function checkRole(request, reply) {
    if (!request.user) return refuse(request, reply, 'Sign in first: this needs an aTES account');
    if (allowed.length > 0 && !allowed.includes(request.user.role))
      throw new RuleBroken(
        'forbidden',
        `Only ${allowed.join(' or ')} may do this; you are signed in as ${request.user.role}`,
      );
  };
}
