export * from './port.ts';
export { PostgresLogBus } from './postgres-log/PostgresLogBus.ts';
export { NatsJetStreamBus } from './nats/NatsJetStreamBus.ts';
export { connectBus } from './connectBus.ts';
export { EventTooLargeError, maxBatchBytes, maxEventBytes, refuseOversizedEvents } from './eventSizeLimit.ts';
export { provisionBusProducers, producerRoleName } from './postgres-log/provisionBusProducers.ts';
export { natsAuthorization, type NatsIdentities } from './nats/natsServerConfig.ts';
