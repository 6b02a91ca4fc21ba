import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { contextOf, startTracing, traceparentOf } from './tracing.ts';

describe('tracing', () => {
  it('is off when no OTLP endpoint is set', () => {
    expect(startTracing('tasks', {}).enabled).toBe(false);
  });

  it('is on when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const tracing = startTracing('tasks', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' });
    expect(tracing.enabled).toBe(true);
    await tracing.shutdown();
  });

  it('reads a span back from the traceparent an event carries', () => {
    const span = new BasicTracerProvider().getTracer('test').startSpan('POST /api/tasks');
    expect(trace.getSpanContext(contextOf(traceparentOf(span)))).toMatchObject({
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
    });
  });

  it('starts a new trace for an id that is not a traceparent', () => {
    expect(contextOf('0193a5f2-7c1e-7000-8000-000000000000')).toBe(ROOT_CONTEXT);
  });
});
