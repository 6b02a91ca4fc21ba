/**
 * The largest event body either bus takes, in bytes. The largest aTES event, a task with a
 * 10,000-character description, is about 45 KB; a body hundreds of megabytes long crashed
 * consumers that read it whole. The PostgreSQL log enforces the same number in a CHECK,
 * JetStream in the stream's max_msg_size.
 */
export const maxEventBytes = 512 * 1024;

/** How many bytes of bodies a consumer reads in one batch, whatever the row count. */
export const maxBatchBytes = 8 * 1024 * 1024;

export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';
}

/** Refuses the whole lot, before anything is written, if one body is over the limit. */
export function refuseOversizedEvents(messages: readonly { id: string; name: string; body: string }[]): void {
  for (const message of messages) {
    // UTF-8 bytes are at most 3 per UTF-16 unit: most bodies need no count at all.
    if (message.body.length * 3 <= maxEventBytes) continue;
    const size = Buffer.byteLength(message.body);
    if (size > maxEventBytes) {
      throw new EventTooLargeError(
        `event ${message.name} ${message.id} is ${size} bytes; events may be at most ${maxEventBytes} bytes. Nothing was published.`,
      );
    }
  }
}

/** Why a consumer is not given an event's body: it is over the limit (stored before the limit, or by another writer). */
export function oversizedReason(size: number): string {
  return `the event is ${size} bytes; events may be at most ${maxEventBytes} bytes, so it was not read`;
}
