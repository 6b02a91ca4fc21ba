export {
  type DeadLetter,
  listDeadLetters,
  putAside,
  requestRedrive,
  type StoredDeadLetter,
  setAside,
} from './deadLetters.ts';
export {
  EventConsumer,
  type EventConsumerOptions,
  type StuckConsumer,
  stuckConsumers,
} from './EventConsumer.ts';
export { type BatchEventHandler, type EventHandler, type HandlerRegistration, on, onBatch } from './eventHandler.ts';
export { isInfrastructureFailure } from './isInfrastructureFailure.ts';
export { collectLag } from './watchLag.ts';
