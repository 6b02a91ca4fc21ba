import {
  type Context,
  context as contexts,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export { type Span, SpanKind, SpanStatusCode, type Tracer };

export interface Tracing {
  /** Whether spans are recorded and exported; when not, the tracer makes no-op spans. */
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** Sends what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** Spans nobody records: what every part uses when tracing is off. */
export const noTracing: Tracing = {
  enabled: false,
  tracer: trace.getTracer('ates-off'),
  shutdown: async () => undefined,
};

/**
 * Traces of one service, exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the
 * traces-only `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, and off otherwise. The provider is
 * the service's own, not the process-global one, so services sharing a process (the tests)
 * keep their names apart.
 */
export function startTracing(service: string, env: Record<string, string | undefined> = process.env): Tracing {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint || env['OTEL_SDK_DISABLED'] === 'true') return noTracing;
  const url = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? `${endpoint.replace(/\/$/, '')}/v1/traces`;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `ates-${service}`, 'service.namespace': 'ates' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500 })],
  });
  return { enabled: true, tracer: provider.getTracer('ates'), shutdown: () => provider.shutdown() };
}

const propagator = new W3CTraceContextPropagator();

/** The W3C `traceparent` of a span (what the envelope's `trace_id` carries), when it is a real one. */
export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, { set: (c, key, value) => (c[key] = value) });
  return carrier['traceparent'];
}

/** The context a `traceparent` names; any other trace id (a request id, an event id) starts a new trace. */
export function contextOf(traceparent: string | undefined): Context {
  if (!traceparent?.startsWith('00-')) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
}

/** Runs `work` in a span that ends with it, and records a failure on it. */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: { kind?: SpanKind; parent?: Context; attributes?: Record<string, string | number | boolean> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(name, { kind: options.kind, attributes: options.attributes }, options.parent);
  try {
    return await contexts.with(trace.setSpan(options.parent ?? ROOT_CONTEXT, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
