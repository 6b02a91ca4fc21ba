export {
  contextOf,
  inSpan,
  noTracing,
  type Span,
  SpanKind,
  SpanStatusCode,
  startTracing,
  type Tracer,
  type Tracing,
  traceparentOf,
} from './tracing.ts';
