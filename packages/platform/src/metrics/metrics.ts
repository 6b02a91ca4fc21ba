import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process, served at /metrics by the HTTP bootstrap. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const eventsPublished = new Counter({
  name: 'ates_events_published_total',
  help: 'Events relayed from the outbox to the bus',
  labelNames: ['event'],
  registers: [metricsRegistry],
});

export const eventsConsumed = new Counter({
  name: 'ates_events_consumed_total',
  help: 'Events applied by a consumer group (duplicates not counted)',
  labelNames: ['group', 'event'],
  registers: [metricsRegistry],
});

export const eventsDeadLettered = new Counter({
  name: 'ates_events_dead_lettered_total',
  help: 'Events a consumer group could not apply and put aside with a reason',
  labelNames: ['group'],
  registers: [metricsRegistry],
});

export const consumerLag = new Gauge({
  name: 'ates_consumer_lag',
  help: 'Events on the bus a consumer group has not acknowledged yet',
  labelNames: ['group'],
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'ates_http_request_duration_seconds',
  help: 'HTTP request latency',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});
