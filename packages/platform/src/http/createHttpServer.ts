import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { type EventBus, EventTooLargeError } from '../bus/index.ts';
import type { ServiceName } from '../config/index.ts';
import { isDatabaseUnreachable, type Pool } from '../db/index.ts';
import { RuleBroken } from '../errors/index.ts';
import { collectLag } from '../inbox/index.ts';
import { createLogger } from '../log/index.ts';
import { httpRequestDuration, metricsRegistry } from '../metrics/index.ts';
import type { Tracing } from '../telemetry/index.ts';
import { errorPage, favicon, type PageUser, stylesheet } from '../views/index.ts';
import { registerApiDocs } from './apiDocs.ts';
import { httpStatusOf } from './httpStatusOf.ts';
import { watchPrimaryDatabase } from './readOnlyMode.ts';
import { securityHeaderMap } from './securityHeaders.ts';
import { sendPage } from './sendPage.ts';
import { traceRequests } from './traceRequests.ts';
import { wantsHtml } from './wantsHtml.ts';

export interface HttpServerOptions {
  service: ServiceName;
  /** What /readyz checks; a service without one of them leaves it out. */
  readiness?: { db?: Pool; bus?: EventBus };
  bodyLimitBytes?: number;
  /** The service's traces (`ServiceContext.tracing`): each request becomes a span. */
  tracing?: Tracing;
}

export interface RouteEntry {
  method: string;
  url: string;
  /** What the route validates, for checks that generate requests from it. */
  schema?: { querystring?: unknown; params?: unknown; body?: unknown };
}
const routeLists = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route the server has, for checks that must cover them all (the role matrix). */
export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  return routeLists.get(app) ?? [];
}

const maxBodyDepth = 32;

/** Walks a parsed body once: no NUL characters (PostgreSQL text cannot hold them), no absurd depth. */
function bodyProblem(value: unknown, depth: number): string | undefined {
  if (depth > maxBodyDepth) return `The body is nested more than ${maxBodyDepth} levels deep`;
  if (typeof value === 'string')
    return value.includes('\u0000') ? 'Text must not contain NUL (\\u0000) characters' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const problem = bodyProblem(key, depth + 1) ?? bodyProblem(item, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * The HTTP shell every service shares: health and readiness, Prometheus metrics,
 * request ids, structured logs, and errors as JSON with a message a person can act on.
 */
export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: createLogger(options.service) as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  const routes: RouteEntry[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, schema: route.schema as RouteEntry['schema'] });
  });
  // The security headers go on the raw response, so that answers a route writes itself
  // (the OIDC provider's) carry them too. A synchronous hook: an async one costs a promise.
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeaders(securityHeaderMap);
    reply.header('x-request-id', request.id);
    done();
  });
  traceRequests(app, options.tracing);
  // Refused at the door, whatever the route: text PostgreSQL cannot store, and absurd nesting.
  app.addHook('preValidation', async (request) => {
    const problem = bodyProblem(request.body, 0) ?? bodyProblem(request.query, 0) ?? bodyProblem(request.params, 0);
    if (problem) throw new RuleBroken('invalid', problem);
  });
  app.addHook('onResponse', async (request, reply) => {
    httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1_000,
    );
  });

  if (options.readiness?.db) watchPrimaryDatabase(app, options.readiness.db);

  // A person in a browser gets a page with the same message; a program gets JSON.
  const fail = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) => {
    if (!wantsHtml(request))
      return reply.status(status).send({ statusCode: status, error: errorTitle(status), message });
    const user = (request as FastifyRequest & { user?: PageUser }).user;
    return sendPage(
      reply.status(status),
      errorPage(options.service, { user }, { status, message, requestId: String(request.id) }),
    );
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnreachable(error)) {
      request.log.warn({ err: error }, 'database unreachable');
      return fail(
        request,
        reply,
        503,
        request.method === 'GET'
          ? `The ${options.service} service cannot reach its database right now; try again shortly.`
          : `The ${options.service} service is read-only right now: its database cannot take changes. Nothing was changed; try again shortly.`,
      );
    }
    // A broken rule is the caller's to fix; an event too large for the bus was refused before
    // anything was committed: the input was too big.
    const status =
      error instanceof RuleBroken
        ? httpStatusOf(error)
        : error instanceof EventTooLargeError
          ? 413
          : (error.statusCode ?? 500);
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return fail(request, reply, status, 'Something went wrong on our side; it has been logged.');
    }
    return fail(request, reply, status, error.validation ? `Invalid request: ${error.message}` : error.message);
  });
  app.setNotFoundHandler((request, reply) =>
    fail(request, reply, 404, `No route ${request.method} ${request.url.split('?')[0]}`),
  );

  registerApiDocs(app, options.service);
  // In a plugin, so they run after the API description is listening for routes.
  void app.register(async (scope) => {
    // Named by their content's hash: a browser keeps them until the content changes.
    for (const asset of [stylesheet, favicon])
      scope.get(asset.path, { schema: { hide: true } }, async (_request, reply) =>
        reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body),
      );
    scope.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
      reply.type(favicon.type).header('cache-control', 'public, max-age=86400').send(favicon.body),
    );

    scope.get('/healthz', { schema: { summary: 'Whether the process answers', security: [] } }, async () => ({
      status: 'ok',
      service: options.service,
    }));
    // Anyone may ask whether the service is ready; why not is for admins (`/api/ops/status`).
    scope.get(
      '/readyz',
      { schema: { summary: 'Whether the database and the bus answer (503 when not)', security: [] } },
      async (_request, reply) => {
        const checks = await readinessChecks(options.readiness ?? {});
        const ready = Object.values(checks).every((status) => status === 'ok');
        return reply
          .status(ready ? 200 : 503)
          .send({ status: ready ? 'ready' : 'not ready', service: options.service });
      },
    );
    scope.get('/metrics', { schema: { summary: 'Prometheus metrics', security: [] } }, async (_request, reply) => {
      await collectLag();
      return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
    });
  });
  return app;
}

/** What the service depends on, each 'ok' or why not. */
export async function readinessChecks(readiness: { db?: Pool; bus?: EventBus }): Promise<Record<string, string>> {
  const checks: Record<string, string> = {};
  if (readiness.db)
    checks['database'] = await readiness.db.query('SELECT 1').then(
      () => 'ok',
      (error: Error) => error.message,
    );
  if (readiness.bus)
    checks['bus'] = await readiness.bus.head().then(
      () => 'ok',
      (error: Error) => error.message,
    );
  return checks;
}

function errorTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    410: 'Gone',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return titles[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
