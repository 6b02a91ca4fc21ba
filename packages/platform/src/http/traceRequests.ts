import type { FastifyInstance } from 'fastify';
import {
  contextOf,
  noTracing,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracing,
  traceparentOf,
} from '../telemetry/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * What the events this request causes carry as their `trace_id`: the W3C traceparent of
     * the request's span when tracing is on (so consumers continue the trace), else the request id.
     */
    traceId: string;
  }
}

const spans = new WeakMap<object, Span>();

/** Every request is a server span, continuing the caller's trace when it sends `traceparent`. */
export function traceRequests(app: FastifyInstance, tracing: Tracing = noTracing): void {
  app.decorateRequest('traceId', '');
  app.addHook('onRequest', async (request) => {
    request.traceId = request.id;
    if (!tracing.enabled) return;
    const header = request.headers['traceparent'];
    const route = request.routeOptions.url ?? 'unmatched';
    const span = tracing.tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': route, 'ates.request_id': request.id },
      },
      contextOf(typeof header === 'string' ? header : undefined),
    );
    spans.set(request, span);
    request.traceId = traceparentOf(span) ?? request.id;
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
