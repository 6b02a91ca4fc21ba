import { randomUUID } from 'node:crypto';
import { decodeEnvelope, maxAssignmentsPerEvent, partitionKeyOf, uuidv7 } from '@ates/contracts';
import { type Pool, type Tx, withTransaction } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import type { Logger } from '@ates/platform/log';
import { wakeOutboxRelay } from '@ates/platform/outbox';
import {
  countAssignable,
  insertShuffle,
  lastOutboxEvent,
  lockShuffle,
  reassignOpenTasks,
  recordShuffleChunk,
  stalledShuffles,
  takeShuffleTurn,
} from '../adapters/db/reassignOpenTasks.ts';
import { unassignableRoles } from '../domain/roles.ts';

/**
 * Tasks one chunk reassigns. Big enough that each popug's share of a chunk fills events
 * (50 each with a thousand popugs) and the per-transaction cost vanishes, small enough
 * that the relay starts at once and a chunk never holds its locks for long.
 */
export const shuffleChunkSize = 50_000;

/**
 * Reassigns every open task at random; returns how many were reassigned. The shuffle is
 * recorded first and then done chunk by chunk (see migrations/4_shuffles_in_chunks.sql).
 */
export async function shuffleOpenTasks(
  pool: Pool,
  traceId: string = randomUUID(),
  chunkSize = shuffleChunkSize,
): Promise<number> {
  const shuffle = await withTransaction(pool, async (tx) => {
    if ((await countAssignable(tx, unassignableRoles)) === 0) {
      throw new RuleBroken(
        'conflict',
        'Nobody can take the tasks: there is no active popug who is not an admin or manager',
      );
    }
    return insertShuffle(tx, uuidv7(), traceId);
  });
  return (await finishShuffle(pool, shuffle.id, { chunkSize }))!;
}

/**
 * Runs a shuffle's chunks until it has passed every task it covers; returns how many it
 * reassigned in all, or undefined when told to stop first. Safe to run for the same
 * shuffle from two processes at once: each chunk locks the shuffle's row and starts where
 * the last one committed ended.
 */
export async function finishShuffle(
  pool: Pool,
  id: string,
  { chunkSize = shuffleChunkSize, stopped = () => false }: { chunkSize?: number; stopped?: () => boolean } = {},
): Promise<number | undefined> {
  while (!stopped()) {
    const progress = await withTransaction(pool, (tx) => shuffleNextChunk(tx, id, chunkSize));
    if (progress.finished) return progress.reassigned;
  }
  return undefined;
}

async function shuffleNextChunk(tx: Tx, id: string, chunkSize: number) {
  await takeShuffleTurn(tx);
  const shuffle = await lockShuffle(tx, id);
  if (!shuffle) throw new Error(`no shuffle ${id}`);
  if (shuffle.finished || shuffle.throughTask === null) return shuffle;
  const chunk = await reassignOpenTasks(tx, {
    excludedRoles: unassignableRoles,
    at: new Date(),
    traceId: shuffle.traceId,
    after: shuffle.doneThrough,
    through: shuffle.throughTask,
    limit: chunkSize,
    perEvent: maxAssignmentsPerEvent,
  });
  if (chunk.reassigned > 0) {
    await checkWhatSqlBuilt(tx);
    wakeOutboxRelay(tx);
  }
  await recordShuffleChunk(tx, id, chunk);
  return { ...shuffle, reassigned: shuffle.reassigned + chunk.reassigned, finished: chunk.finished };
}

/** The events were built in SQL: one of each chunk is checked against the registry. */
async function checkWhatSqlBuilt(tx: Tx): Promise<void> {
  const written = (await lastOutboxEvent(tx, 'task.assigned'))!;
  const sample = decodeEnvelope(written.body);
  if (!sample.ok) throw new Error(`the shuffle built an invalid event: ${sample.reason}`);
  if (written.partitionKey !== partitionKeyOf(sample.envelope))
    throw new Error(`the shuffle partitioned an event by ${written.partitionKey}, not as its definition says`);
}

export interface ShuffleResumer {
  stop(): Promise<void>;
}

/**
 * Finishes shuffles whose process died mid-way: looks at once (an instance starting after
 * a crash) and then every `everyMs` for shuffles that have not moved on for `idleSeconds`.
 */
export function resumeStalledShuffles(
  pool: Pool,
  logger: Logger,
  options: { everyMs: number; idleSeconds: number },
): ShuffleResumer {
  let running: Promise<void> = Promise.resolve();
  let stopping = false;
  const resume = async () => {
    for (const id of await stalledShuffles(pool, options.idleSeconds)) {
      logger.info({ shuffle: id }, 'finishing a shuffle that stopped mid-way');
      const reassigned = await finishShuffle(pool, id, { stopped: () => stopping });
      if (reassigned !== undefined) logger.info({ shuffle: id, reassigned }, 'shuffle finished');
    }
  };
  const tick = () => {
    running = running
      .then(resume)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not finish a stalled shuffle; will retry'));
  };
  tick();
  const timer = setInterval(tick, options.everyMs);
  return {
    async stop() {
      stopping = true;
      clearInterval(timer);
      await running;
    },
  };
}
