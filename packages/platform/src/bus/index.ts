export * from './port.ts';
export { PostgresLogBus } from './postgres-log/PostgresLogBus.ts';
export { NatsJetStreamBus } from './nats/NatsJetStreamBus.ts';
export { connectBus } from './connectBus.ts';
