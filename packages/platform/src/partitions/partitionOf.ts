/**
 * How many partitions a key can fall in: at most this many members of a group work at
 * once. Fixed for the life of a stream: changing it moves keys between partitions, and
 * with them the order of their events. Eight rather than more because nats-server 2.9
 * spends more CPU the more filtered consumers read one stream: for the ledger bench
 * (200k assignments, one member then two) it used 27 s with 4 partitions, 30 s with 8
 * and 38 s with 16.
 */
export const partitionCount = 8;

const utf8 = new TextEncoder();

/**
 * The partition of a key: FNV-1a over its UTF-8 bytes, modulo the count. Stable across
 * processes and versions, which is all it needs to be: the bus routes an event by its
 * partition key (for money events, the employee's account), and the ledger picks the
 * company shard by the same account, so a member that holds a partition also holds that
 * shard's writes.
 */
export function partitionOf(key: string, count = partitionCount): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    const code = key.charCodeAt(index);
    // Keys are ids, ASCII: a character is its UTF-8 byte. Encoding every key took 2.5 %
    // of a ledger member's CPU (two calls a posting), so only other keys are encoded.
    if (code > 0x7f) return hashOfBytes(key, count);
    hash ^= code;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

function hashOfBytes(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}
