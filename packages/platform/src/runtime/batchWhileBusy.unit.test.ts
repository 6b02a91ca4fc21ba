import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchWhileBusy } from './batchWhileBusy.ts';

/** A write that records each batch and waits to be finished by the test. */
function heldWrites(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const open: (() => void)[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const write = (items: number[]) => {
    batches.push(items);
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    return new Promise<string[]>((resolve, reject) =>
      open.push(() => {
        inFlight -= 1;
        if (items.some(fail)) reject(new Error(`item ${items.find(fail)} is bad`));
        else resolve(items.map((item) => `written ${item}`));
      }),
    );
  };
  /** Finishes every write under way, until none is left. */
  const finishAll = async () => {
    while (open.length > 0) {
      for (const finish of open.splice(0)) finish();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  /** Finishes the oldest write under way, if any. */
  const finishOldest = async () => {
    open.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { write, batches, finishAll, finishOldest, mostInFlight: () => mostInFlight };
}

describe('batchWhileBusy', () => {
  it('writes a call at once, alone, when no write is under way', () => {
    const writes = heldWrites();
    void batchWhileBusy(writes.write)(1);
    expect(writes.batches).toEqual([[1]]);
  });

  it('sends the calls made while writes are under way together, in one write', async () => {
    const writes = heldWrites();
    const call = batchWhileBusy(writes.write, { maxInFlight: 1 });
    const answers = Promise.all([1, 2, 3, 4].map(call));
    await writes.finishAll();
    expect(await answers).toEqual(['written 1', 'written 2', 'written 3', 'written 4']);
    expect(writes.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('puts no more than maxBatch calls in one write', async () => {
    const writes = heldWrites();
    const call = batchWhileBusy(writes.write, { maxInFlight: 1, maxBatch: 2 });
    const answers = Promise.all([1, 2, 3, 4, 5].map(call));
    await writes.finishAll();
    await answers;
    expect(writes.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('fails only the caller whose item failed the write, writing the others again alone', async () => {
    const writes = heldWrites((item) => item === 3);
    const call = batchWhileBusy(writes.write, { maxInFlight: 1 });
    const answers = Promise.allSettled([1, 2, 3, 4].map(call));
    await writes.finishAll();
    expect(
      (await answers).map((answer) => (answer.status === 'fulfilled' ? answer.value : answer.reason.message)),
    ).toEqual(['written 1', 'written 2', 'item 3 is bad', 'written 4']);
    expect(writes.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    expect(writes.mostInFlight()).toBe(1);
  });

  it('answers every caller with its own result, never over maxInFlight writes at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ calls: fc.integer({ min: 1, max: 6 }), finish: fc.boolean() }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 10 }),
        async (arrivals, maxInFlight, maxBatch) => {
          const writes = heldWrites();
          const call = batchWhileBusy(writes.write, { maxInFlight, maxBatch });
          // Calls arrive in bursts, with some writes finishing between bursts.
          const answers: Promise<string>[] = [];
          let item = 0;
          for (const burst of arrivals) {
            for (let n = 0; n < burst.calls; n += 1) answers.push(call(item++));
            if (burst.finish) await writes.finishOldest();
          }
          await writes.finishAll();
          expect(await Promise.all(answers)).toEqual(answers.map((_, n) => `written ${n}`));
          expect(writes.batches.flat().sort((a, b) => a - b)).toEqual(answers.map((_, n) => n));
          expect(writes.mostInFlight()).toBeLessThanOrEqual(maxInFlight);
          expect(Math.max(...writes.batches.map((batch) => batch.length))).toBeLessThanOrEqual(maxBatch);
        },
      ),
    );
  });
});
