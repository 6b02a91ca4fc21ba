import { readInteger, readOptional } from '../config/index.ts';
import { databaseUrlFor } from '../db/index.ts';
import { NatsJetStreamBus } from './nats/NatsJetStreamBus.ts';
import type { EventBus } from './port.ts';
import { PostgresLogBus } from './postgres-log/PostgresLogBus.ts';

/**
 * `BUS_URL=nats://host:4222` selects NATS JetStream; otherwise the PostgreSQL log in
 * the `bus` database (`BUS_DATABASE_URL`, or `ates_bus` on the `DATABASE_URL` server).
 * A service reaches the bus as its own identity when `<SERVICE>_BUS_URL` is set
 * (`nats://user:password@host:port` or `postgres://role:password@host/db`): the engine
 * then lets it publish only the events it owns.
 */
export async function connectBus(
  env: Record<string, string | undefined> = process.env,
  service?: string,
): Promise<EventBus> {
  const busUrl =
    (service ? readOptional(`${service.toUpperCase()}_BUS_URL`, env) : undefined) ?? readOptional('BUS_URL', env);
  if (busUrl?.startsWith('nats://')) {
    return NatsJetStreamBus.connect(busUrl, {
      stream: readOptional('BUS_STREAM', env) ?? 'ATES',
      ackWaitMs: readInteger('BUS_ACK_WAIT_MS', 30_000, env),
      leaseMs: readInteger('BUS_LEASE_MS', 9_000, env),
    });
  }
  const url = busUrl?.startsWith('postgres') ? busUrl : databaseUrlFor('bus', env);
  if (!url) throw new Error('No bus configured: set BUS_URL (nats://… or postgres://…) or DATABASE_URL');
  return PostgresLogBus.connect(url);
}
