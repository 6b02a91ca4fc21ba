import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { type EventBus, EventTooLargeError } from '../bus/index.ts';
import { isDatabaseUnreachable, type Pool } from '../db/index.ts';
import { RuleBroken, type RuleKind } from '../errors/index.ts';
import { collectLag } from '../inbox/index.ts';
import { createLogger } from '../log/index.ts';
import { httpRequestDuration, metricsRegistry } from '../metrics/index.ts';
import { watchPrimaryDatabase } from './readOnlyMode.ts';

export interface HttpServerOptions {
  service: string;
  /** What /readyz checks; a service without one of them leaves it out. */
  readiness?: { db?: Pool; bus?: EventBus };
  bodyLimitBytes?: number;
}

const statusOfRule: Record<RuleKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  too_many: 429,
};

/** The one place a broken rule becomes an HTTP status. */
export function httpStatusOf(error: RuleBroken): number {
  return statusOfRule[error.kind];
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

  // Pages are served by us alone: no scripts, no frames, styles inline, forms post to our services.
  void app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: false,
    crossOriginEmbedderPolicy: false,
  });
  const routes: RouteEntry[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, schema: route.schema as RouteEntry['schema'] });
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
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

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnreachable(error)) {
      request.log.warn({ err: error }, 'database unreachable');
      return reply.status(503).send({
        statusCode: 503,
        error: 'Service Unavailable',
        message:
          request.method === 'GET'
            ? `The ${options.service} service cannot reach its database right now; try again shortly.`
            : `The ${options.service} service is read-only right now: its database cannot take changes. Nothing was changed; try again shortly.`,
      });
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
      return reply.status(status).send({
        statusCode: status,
        error: 'Internal Server Error',
        message: 'Something went wrong on our side; it has been logged.',
      });
    }
    const message = error.validation ? `Invalid request: ${error.message}` : error.message;
    return reply.status(status).send({ statusCode: status, error: errorTitle(status), message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
    }),
  );

  app.get('/healthz', async () => ({ status: 'ok', service: options.service }));
  // Anyone may ask whether the service is ready; why not is for admins (`/api/ops/status`).
  app.get('/readyz', async (_request, reply) => {
    const ready = Object.values(await readinessChecks(options.readiness ?? {})).every((status) => status === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', service: options.service });
  });
  app.get('/metrics', async (_request, reply) => {
    await collectLag();
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
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
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
  };
  return titles[status] ?? 'Client Error';
}
