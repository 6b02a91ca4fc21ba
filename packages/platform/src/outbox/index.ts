export {
  appendToOutbox,
  type OutboxStatementOptions,
  outboxChannel,
  outboxStatementParts,
  wakeOutboxRelay,
} from './appendToOutbox.ts';
export { OutboxRelay, type OutboxRelayOptions } from './OutboxRelay.ts';
export { outboxWritten } from './outboxWritten.ts';
