export {
  consumerLag,
  eventsConsumed,
  eventsDeadLettered,
  eventsPublished,
  httpRequestDuration,
  metricsRegistry,
} from './metrics.ts';
