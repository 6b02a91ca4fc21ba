import type { FastifyInstance } from 'fastify';
import { connectBus, type EventBus } from '../bus/index.ts';
import { ConfigError, readInteger, readString, readTimeZone, type ServiceName, servicePort } from '../config/index.ts';
import {
  createPool,
  databaseUrlFor,
  ensureDatabase,
  migrateDatabase,
  migrateServiceDatabase,
  type Pool,
  readReplicaUrlFor,
} from '../db/index.ts';
import type { EventConsumer } from '../inbox/index.ts';
import { createLogger, type Logger } from '../log/index.ts';
import { OutboxRelay } from '../outbox/index.ts';
import { startTracing, type Tracing } from '../telemetry/index.ts';
import { BusinessClock } from '../time/index.ts';

export interface ServiceContext {
  readonly name: ServiceName;
  readonly env: Record<string, string | undefined>;
  readonly databaseUrl: string;
  readonly pool: Pool;
  /** For the dashboards' queries: the read replica when one is configured, else the primary. */
  readonly readPool: Pool;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly clock: BusinessClock;
  /** The service's traces: hand it to its HTTP server and consumers (no-op unless OTLP is configured). */
  readonly tracing: Tracing;
}

export interface ServiceParts {
  http: FastifyInstance;
  consumers?: EventConsumer[];
  /** Runs last on stop, after HTTP and consumers are down. */
  onStop?: () => Promise<void>;
}

export interface RunningService {
  readonly url: string;
  readonly context: ServiceContext;
  readonly parts: ServiceParts;
  stop(): Promise<void>;
}

export interface ServiceDefinition {
  name: ServiceName;
  migrationsDir: string;
  /** Schemas of platform modules the service uses, e.g. the account directory. */
  moduleMigrations?: readonly { dir: string; table: string }[];
  compose(context: ServiceContext): Promise<ServiceParts>;
}

/**
 * Brings a service up: its own database (created and migrated), the bus, the outbox
 * relay, whatever the service composes on top, and its HTTP port.
 */
export async function startService(
  definition: ServiceDefinition,
  env: Record<string, string | undefined> = process.env,
  progress: (step: string) => void = () => undefined,
): Promise<RunningService> {
  const logger = createLogger(definition.name);
  const databaseUrl = databaseUrlFor(definition.name, env);
  if (!databaseUrl) {
    throw new Error(
      `No database for ${definition.name}: set ${definition.name.toUpperCase()}_DATABASE_URL or DATABASE_URL (npm start sets it for you)`,
    );
  }
  progress('migrating its database');
  await ensureDatabase(databaseUrl);
  for (const module of definition.moduleMigrations ?? []) await migrateDatabase(databaseUrl, module.dir, module.table);
  await migrateServiceDatabase(databaseUrl, definition.migrationsDir);
  const pool = createPool(databaseUrl, { applicationName: `ates-${definition.name}` });
  const replicaUrl = readReplicaUrlFor(definition.name, env);
  const readPool = replicaUrl ? createPool(replicaUrl, { applicationName: `ates-${definition.name}-reader` }) : pool;
  progress('connecting to the bus');
  const bus = await connectBus(env, definition.name);
  const clock = new BusinessClock(
    readTimeZone('ATES_TIME_ZONE', 'UTC', env),
    readInteger('ATES_CLOCK_OFFSET_MS', 0, env),
  );
  const tracing = startTracing(definition.name, env);
  const context: ServiceContext = {
    name: definition.name,
    env,
    databaseUrl,
    pool,
    readPool,
    bus,
    logger,
    clock,
    tracing,
  };
  const relay = new OutboxRelay({ databaseUrl, bus, logger, tracing }).start();
  progress('starting its consumers and routes');
  const parts = await definition.compose(context);
  const port = servicePort(definition.name, env);
  const host = readString('HOST', '127.0.0.1', env);
  const address = await parts.http.listen({ port, host });
  logger.info({ address }, `${definition.name} is listening`);
  let stopping: Promise<void> | undefined;
  return {
    url: address,
    context,
    parts,
    stop() {
      stopping ??= (async () => {
        await parts.http.close();
        await Promise.all((parts.consumers ?? []).map((consumer) => consumer.stop()));
        await relay.stop();
        await parts.onStop?.();
        await bus.close();
        await pool.end();
        if (readPool !== pool) await readPool.end();
        await tracing.shutdown();
      })();
      return stopping;
    },
  };
}

/** The exit code of a service refusing its configuration (EX_CONFIG): a supervisor must not restart it. */
export const configurationExitCode = 78;

/** What a service tells the process that started it (`npm start`), when there is one. */
export type StartupMessage = { ates: 'progress'; step: string } | { ates: 'ready'; url: string };

function tellSupervisor(message: StartupMessage): void {
  process.send?.(message);
}

/** `startService` for a process of its own: reports its progress, stops cleanly on SIGINT/SIGTERM. */
export async function runService(definition: ServiceDefinition): Promise<void> {
  let service: RunningService;
  try {
    service = await startService(definition, process.env, (step) => tellSupervisor({ ates: 'progress', step }));
    tellSupervisor({ ates: 'ready', url: service.url });
  } catch (error) {
    console.error(`${definition.name} could not start: ${error instanceof Error ? error.message : String(error)}`);
    // A configuration problem does not go away by trying again: say so to whoever restarts us.
    process.exit(error instanceof ConfigError ? configurationExitCode : 1);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await service.stop().catch((error: unknown) => service.context.logger.error({ err: error }, 'unclean stop'));
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
