import { randomUUID } from 'node:crypto';
import { decodeEnvelope, partitionKeyOf } from '@ates/contracts';
import { type Pool, withTransaction } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { wakeOutboxRelay } from '@ates/platform/outbox';
import {
  countAssignable,
  lastOutboxEvent,
  reassignOpenTasks,
  takeShuffleTurn,
} from '../adapters/db/reassignOpenTasks.ts';
import { unassignableRoles } from '../domain/roles.ts';

/** Reassigns every open task at random; returns how many were reassigned. */
export async function shuffleOpenTasks(pool: Pool, traceId: string = randomUUID()): Promise<number> {
  return withTransaction(pool, async (tx) => {
    await takeShuffleTurn(tx);
    if ((await countAssignable(tx, unassignableRoles)) === 0) {
      throw new RuleBroken(
        'conflict',
        'Nobody can take the tasks: there is no active popug who is not an admin or manager',
      );
    }
    const reassigned = await reassignOpenTasks(tx, { excludedRoles: unassignableRoles, at: new Date(), traceId });
    if (reassigned > 0) {
      const written = (await lastOutboxEvent(tx, 'task.assigned'))!;
      const sample = decodeEnvelope(written.body);
      if (!sample.ok) throw new Error(`the shuffle built an invalid event: ${sample.reason}`);
      if (written.partitionKey !== partitionKeyOf(sample.envelope))
        throw new Error(`the shuffle partitioned an event by ${written.partitionKey}, not as its definition says`);
      wakeOutboxRelay(tx);
    }
    return reassigned;
  });
}
