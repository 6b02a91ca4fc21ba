export { connectBus } from './connectBus.ts';
export { EventTooLargeError, maxBatchBytes, maxEventBytes, refuseOversizedEvents } from './eventSizeLimit.ts';
export { NatsJetStreamBus } from './nats/NatsJetStreamBus.ts';
export { type NatsIdentities, natsAuthorization } from './nats/natsServerConfig.ts';
export type { BatchHandler, Delivery, EventBus, OutgoingMessage, SubscribeOptions, Subscription } from './port.ts';
export { PostgresLogBus } from './postgres-log/PostgresLogBus.ts';
export { producerRoleName, provisionBusProducers } from './postgres-log/provisionBusProducers.ts';
