import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionOf } from './partitionOf.ts';

/** FNV-1a over the key's UTF-8 bytes, written the plain way: what partitionOf promises. */
function reference(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

describe('partitionOf', () => {
  it('keeps the partitions keys had before, ids and other keys alike', () => {
    // Values computed by the release that first partitioned the stream: moving a key moves its order.
    expect(
      ['company', '0190a1b2-0000-7000-8000-000000000000', 'popug-ü', '日本'].map((key) => [
        partitionOf(key),
        partitionOf(key, 1_000_003),
      ]),
    ).toEqual([
      [4, 600_254],
      [6, 332_420],
      [0, 288_451],
      [1, 120_711],
    ]);
  });

  it('is FNV-1a over the UTF-8 bytes for any key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 1_000 }), (key, count) => {
        expect(partitionOf(key, count)).toBe(reference(key, count));
      }),
    );
  });
});
