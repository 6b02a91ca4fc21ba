export * from './appendToOutbox.ts';
export * from './OutboxRelay.ts';
