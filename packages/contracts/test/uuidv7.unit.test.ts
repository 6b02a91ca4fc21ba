import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/index.ts';

// Enough ids to refill the random pool several times over.
const ids = Array.from({ length: 5_000 }, () => uuidv7());

describe('uuidv7', () => {
  it('gives version 7, RFC 9562 variant ids', () => {
    expect(
      ids.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    ).toEqual([]);
  });

  it('never gives the same id twice', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives ids in the order they were made', () => {
    expect([...ids].sort()).toEqual(ids);
  });

  it('stamps each id with the time it was made', () => {
    const before = Date.now();
    const stamped = Number.parseInt(uuidv7().replace('-', '').slice(0, 12), 16);
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });
});
