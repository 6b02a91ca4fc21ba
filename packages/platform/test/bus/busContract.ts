import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEvent, PayoutMadeV2, TaskCompletedV1, TaskCompletedV2 } from '@ates/contracts';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../tools/test/waitFor.ts';
import {
  type Delivery,
  type EventBus,
  EventTooLargeError,
  maxBatchBytes,
  maxEventBytes,
  type OutgoingMessage,
  type Subscription,
} from '../../src/bus/index.ts';
import { createPool, migrateServiceDatabase, type Pool } from '../../src/db/index.ts';
import {
  EventConsumer,
  listDeadLetters,
  on,
  onBatch,
  requestRedrive,
  setAside,
  stuckConsumers,
} from '../../src/inbox/index.ts';
import { partitionOf } from '../../src/partitions/index.ts';
import { numberOf, numberOfReward, taskCompletions } from './testEvents.ts';

export interface BusFixture {
  /** A bus with an empty log of its own. */
  freshBus(): Promise<EventBus>;
  /** Environment for a child process to reach the same bus through `connectBus`. */
  childEnv(): Record<string, string>;
  /** A database for the consumer side (inbox, dead letters, test tables). */
  consumerDatabaseUrl(): Promise<string>;
  /** Stores a message through the engine itself, past the adapter's own checks, as a foreign writer would. */
  storeDirectly(message: OutgoingMessage): Promise<void>;
  /** The same with the engine's size limit lifted for this one message: an event stored before the limit existed. */
  storeOversized(message: OutgoingMessage): Promise<void>;
  /** A bus reached as one service's own identity, which the engine lets publish only that service's events. */
  busAs(service: string): Promise<EventBus>;
  /** Whether members of a partitioned group work at once (NATS) or one at a time (the PostgreSQL log). */
  membersShareWork: boolean;
}

/** Per aggregate, the numbers of its events in the order they were first handled: sorted when order held. */
function firstSeenOrder(deliveries: readonly Delivery[]): Map<string, number[]> {
  const seenIds = new Set<string>();
  const byKey = new Map<string, number[]>();
  for (const delivery of deliveries) {
    if (seenIds.has(delivery.id)) continue;
    seenIds.add(delivery.id);
    byKey.set(delivery.key, [...(byKey.get(delivery.key) ?? []), numberOf(delivery.body)]);
  }
  return byKey;
}

const here = dirname(fileURLToPath(import.meta.url));

function record(into: Delivery[]) {
  return async (batch: readonly Delivery[]) => {
    into.push(...batch);
  };
}

/** The behaviour every bus adapter must show; run once per adapter. */
export function describeBusContract(adapter: string, fixture: BusFixture): void {
  describe(`${adapter} bus contract`, () => {
    let bus: EventBus;
    const subscriptions: Subscription[] = [];
    const subscribe: EventBus['subscribe'] = async (options, handler) => {
      const subscription = await bus.subscribe(options, handler);
      subscriptions.push(subscription);
      return subscription;
    };

    beforeEach(async () => {
      bus = await fixture.freshBus();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await bus.close();
    });

    it('delivers every event once to a group, in publish order per aggregate', async () => {
      const events = taskCompletions(300, 7);
      await bus.publish(events.slice(0, 100));
      const seen: Delivery[] = [];
      await subscribe({ group: 'orders', maxBatch: 16 }, record(seen));
      await bus.publish(events.slice(100));
      await waitFor('all 300 events', () => seen.length >= 300);
      expect(seen.map((delivery) => delivery.id)).toEqual(events.map((event) => event.id));
      for (const key of new Set(seen.map((delivery) => delivery.key))) {
        const rewards = seen.filter((delivery) => delivery.key === key).map((delivery) => numberOf(delivery.body));
        expect(rewards).toEqual([...rewards].sort((a, b) => a - b));
      }
      expect(seen.every((delivery, index) => index === 0 || delivery.position > seen[index - 1]!.position)).toBe(true);
    });

    it('gives each consumer group every event, whatever the group is called', async () => {
      const events = taskCompletions(50);
      const first: Delivery[] = [];
      const second: Delivery[] = [];
      // Dotted names, as the services use them.
      await subscribe({ group: 'accounting.ledger' }, record(first));
      await subscribe({ group: 'analytics.read model' }, record(second));
      await bus.publish(events);
      await waitFor('both groups', () => first.length >= 50 && second.length >= 50);
      expect(first.map((d) => d.id)).toEqual(events.map((e) => e.id));
      expect(second.map((d) => d.id)).toEqual(events.map((e) => e.id));
    });

    it('stores an event published twice only once', async () => {
      const events = taskCompletions(20);
      await bus.publish(events);
      await bus.publish(events.slice(5, 15));
      const seen: Delivery[] = [];
      await subscribe({ group: 'dedup' }, record(seen));
      await waitFor('20 events', () => seen.length >= 20);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen).toHaveLength(20);
    });

    it('delivers only the names a group asks for and moves past the rest', async () => {
      const completions = taskCompletions(10);
      const other = completions.map((event) => ({ ...event, id: uuidv7(), name: 'task.other' }));
      await bus.publish([...other.slice(0, 5), ...completions, ...other.slice(5)]);
      const seen: Delivery[] = [];
      await subscribe({ group: 'picky', names: ['task.completed'] }, record(seen));
      await waitFor('10 completions', () => seen.length >= 10);
      expect(seen.map((d) => d.name)).toEqual(Array(10).fill('task.completed'));
      await waitFor('no lag left', async () => (await bus.lag('picky')) === 0);
    });

    it('counts no lag for a group that has caught up while names it does not read are appended', async () => {
      const completions = taskCompletions(5);
      const seen: Delivery[] = [];
      await subscribe({ group: 'idle-picky', names: ['task.completed'] }, record(seen));
      await bus.publish(completions);
      await waitFor('5 completions', () => seen.length >= 5);
      await bus.publish(completions.map((event) => ({ ...event, id: uuidv7(), name: 'task.other' })));
      await waitFor('no lag for names it does not read', async () => (await bus.lag('idle-picky')) === 0);
      expect(seen).toHaveLength(5);
    });

    it('replays a group from position 0 and rebuilds the same state', async () => {
      const events = taskCompletions(120);
      await bus.publish(events);
      const total = (deliveries: Delivery[]) => deliveries.reduce((sum, delivery) => sum + numberOf(delivery.body), 0);
      const live: Delivery[] = [];
      const subscription = await subscribe({ group: 'projection' }, record(live));
      await waitFor('first pass', () => live.length >= 120);
      await subscription.stop();
      expect(await bus.lag('projection')).toBe(0);

      await bus.seek('projection', 0);
      expect(await bus.lag('projection')).toBe(120);
      const rebuilt: Delivery[] = [];
      await subscribe({ group: 'projection' }, record(rebuilt));
      await waitFor('replay', () => rebuilt.length >= 120);
      expect(total(rebuilt)).toBe(total(live));
      expect(rebuilt.map((d) => d.id)).toEqual(live.map((d) => d.id));
    });

    it('replays from any position', async () => {
      const events = taskCompletions(30);
      await bus.publish(events);
      const all: Delivery[] = [];
      const subscription = await subscribe({ group: 'partial' }, record(all));
      await waitFor('all', () => all.length >= 30);
      await subscription.stop();
      await bus.seek('partial', all[19]!.position);
      const tail: Delivery[] = [];
      await subscribe({ group: 'partial' }, record(tail));
      await waitFor('tail', () => tail.length >= 10);
      expect(tail.map((d) => d.id)).toEqual(events.slice(20).map((e) => e.id));
    });

    it('delivers a failed batch again, after a backoff, before anything behind it', async () => {
      const events = taskCompletions(30, 1);
      const seen: Delivery[] = [];
      let failures = 0;
      await subscribe({ group: 'flaky', maxBatch: 10 }, async (batch) => {
        if (batch.some((d) => numberOf(d.body) === 15) && failures < 2) {
          failures += 1;
          throw new Error('database hiccup');
        }
        seen.push(...batch);
      });
      await bus.publish(events);
      await waitFor('all after retries', () => seen.length >= 30);
      expect(failures).toBe(2);
      expect(seen.map((d) => numberOf(d.body))).toEqual(events.map((_, index) => index));
      expect(seen.find((d) => numberOf(d.body) === 15)!.attempt).toBeGreaterThanOrEqual(3);
    });

    it('loses nothing when writers commit concurrently while a consumer reads', async () => {
      const writers = 8;
      const perWriter = 60;
      const seen = new Set<string>();
      await subscribe({ group: 'concurrent', maxBatch: 7 }, async (batch) => {
        for (const d of batch) seen.add(d.id);
      });
      const batches = Array.from({ length: writers }, () => taskCompletions(perWriter));
      // Many small publishes from many writers at once: positions are taken in one order and committed in another.
      await Promise.all(
        batches.map(async (events) => {
          for (let index = 0; index < events.length; index += 3) await bus.publish(events.slice(index, index + 3));
        }),
      );
      await waitFor('every event of every writer', () => seen.size >= writers * perWriter);
      expect([...seen].sort()).toEqual(
        batches
          .flat()
          .map((e) => e.id)
          .sort(),
      );
      await waitFor('lag 0', async () => (await bus.lag('concurrent')) === 0);
    });

    it('redelivers what a killed consumer had not acknowledged: nothing is lost', async () => {
      const seenUrl = await fixture.consumerDatabaseUrl();
      const seenDb = new pg.Pool({ connectionString: seenUrl });
      await seenDb.query('CREATE TABLE IF NOT EXISTS seen (event_id text NOT NULL, position bigint NOT NULL)');
      const events = taskCompletions(400);
      await bus.publish(events);
      const start = () =>
        spawn(process.execPath, ['--import', 'tsx', join(here, 'crashingConsumer.ts')], {
          env: { ...process.env, ...fixture.childEnv(), GROUP: 'crashy', SEEN_DATABASE_URL: seenUrl },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
      const count = async () =>
        (
          await seenDb.query<{ n: number; distinct: number }>(
            'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct FROM seen',
          )
        ).rows[0]!;
      const killed: ChildProcess = start();
      await waitFor('the first consumer to be busy', async () => (await count()).n >= 60);
      killed.kill('SIGKILL');
      await new Promise((resolve) => killed.once('exit', resolve));
      const afterKill = await count();
      expect(afterKill.distinct).toBeLessThan(400);

      const restarted = start();
      try {
        const final = await waitFor(
          'every event after restart',
          async () => {
            const now = await count();
            return now.distinct === 400 ? now : undefined;
          },
          60_000,
        );
        expect(final.n).toBeGreaterThanOrEqual(400);
      } finally {
        restarted.kill('SIGKILL');
        await seenDb.end();
      }
    });

    describe('partitioned groups', () => {
      it('delivers every event to a partitioned group, in publish order per aggregate', async () => {
        const events = taskCompletions(300, 40);
        const seen: Delivery[] = [];
        await subscribe({ group: 'accounting.ledger', partitioned: true, maxBatch: 50 }, record(seen));
        await bus.publish(events);
        await waitFor('all 300 events', () => new Set(seen.map((delivery) => delivery.id)).size >= 300);
        for (const [key, numbers] of firstSeenOrder(seen))
          expect(numbers, key).toEqual([...numbers].sort((a, b) => a - b));
        await waitFor('no lag left', async () => (await bus.lag('accounting.ledger')) === 0);
      });

      it('keeps events of one partition key in publish order, whatever their aggregate keys', async () => {
        // As money events: keyed by task, partitioned by the account they move.
        const accounts = Array.from({ length: 12 }, () => uuidv7());
        const events = taskCompletions(240, 240).map((event, index) => ({
          ...event,
          partitionKey: accounts[index % accounts.length]!,
        }));
        const seen: Delivery[] = [];
        await subscribe({ group: 'ledger', partitioned: true, maxBatch: 25 }, record(seen));
        await bus.publish(events);
        await waitFor('all 240 events', () => new Set(seen.map((delivery) => delivery.id)).size >= 240);
        const accountOf = new Map(events.map((event) => [event.id, event.partitionKey]));
        for (const account of accounts) {
          const numbers = seen.filter((d) => accountOf.get(d.id) === account).map((d) => numberOf(d.body));
          expect([...new Set(numbers)]).toEqual([...new Set(numbers)].sort((a, b) => a - b));
        }
      });

      it('shares the work between members, and the one left takes over the rest in order', async () => {
        const events = taskCompletions(2_000, 40);
        const handled: Delivery[] = [];
        const byMember = [0, 0];
        const member = (index: number) => async (batch: readonly Delivery[]) => {
          byMember[index]! += batch.length;
          handled.push(...batch);
        };
        const members = [
          await subscribe({ group: 'ledger', partitioned: true, maxBatch: 20 }, member(0)),
          await subscribe({ group: 'ledger', partitioned: true, maxBatch: 20 }, member(1)),
        ];
        let published = 0;
        const publishSome = async () => {
          await bus.publish(events.slice(published, published + 20));
          published += 20;
        };
        // Until both members hold partitions, which takes them a lease renewal or two.
        await waitFor('both members to handle events', async () => {
          if (published < events.length - 400) await publishSome();
          return fixture.membersShareWork ? byMember[0]! > 0 && byMember[1]! > 0 : byMember[0]! + byMember[1]! > 0;
        });
        const stopped = byMember[0]! > 0 ? 0 : 1;
        await members[stopped]!.stop();
        const beforeStop = byMember[stopped]!;
        while (published < events.length) await publishSome();
        await waitFor(
          'every event',
          () => new Set(handled.map((delivery) => delivery.id)).size >= events.length,
          30_000,
        );
        expect(byMember[stopped]).toBe(beforeStop);
        for (const [key, numbers] of firstSeenOrder(handled))
          expect(numbers, key).toEqual([...numbers].sort((a, b) => a - b));
        await waitFor('no lag left', async () => (await bus.lag('ledger')) === 0);
      });
    });

    describe('producers', () => {
      const asMessage = (event: { event_id: string; event_name: string; aggregate_id: string }) => ({
        id: event.event_id,
        name: event.event_name,
        key: event.aggregate_id,
        body: JSON.stringify(event),
      });
      const taskId = uuidv7();
      const completion = () =>
        createEvent(
          TaskCompletedV2,
          { task_id: taskId, assignee_id: taskId, completion_reward: 2_500, completed_at: new Date().toISOString() },
          { aggregateId: taskId },
        );
      const payout = () =>
        createEvent(
          PayoutMadeV2,
          { payout_id: uuidv7(), account_id: taskId, business_day: '2026-03-02', amount: 2_500, balance_after: 0 },
          { aggregateId: taskId },
        );

      it('lets a service publish the events it owns', async () => {
        const tasks = await fixture.busAs('tasks');
        try {
          const before = await tasks.head();
          await tasks.publish([asMessage(completion())]);
          expect(await tasks.head()).toBe(before + 1);
        } finally {
          await tasks.close();
        }
      });

      it("has the engine refuse a service publishing another service's event", async () => {
        const tasks = await fixture.busAs('tasks');
        try {
          const before = await tasks.head();
          await expect(tasks.publish([asMessage(payout())])).rejects.toThrow(/may not publish|permissions violation/i);
          expect(await tasks.head()).toBe(before);
        } finally {
          await tasks.close();
        }
      });
    });

    describe('bounded events', () => {
      const sized = (bytes: number): OutgoingMessage => ({
        id: uuidv7(),
        name: 'blob.stored',
        key: 'k',
        body: 'x'.repeat(bytes),
      });

      it('refuses to publish a batch holding an event over the limit, and stores none of it', async () => {
        const before = await bus.head();
        await expect(bus.publish([sized(10), sized(maxEventBytes + 1)])).rejects.toThrow(EventTooLargeError);
        expect(await bus.head()).toBe(before);
      });

      it('is refused by the engine itself when a writer skips the adapter', async () => {
        await expect(fixture.storeDirectly(sized(maxEventBytes + 10_000))).rejects.toThrow();
      });

      it('hands a consumer batches bounded by bytes as well as by count', async () => {
        const messages = Array.from({ length: 40 }, () => sized(400_000));
        await bus.publish(messages);
        const batches: Delivery[][] = [];
        await subscribe({ group: 'bulky', maxBatch: 500 }, async (batch) => void batches.push([...batch]));
        await waitFor('all 40 events', () => batches.flat().length >= 40);
        expect(batches.flat().map((delivery) => delivery.id)).toEqual(messages.map((message) => message.id));
        expect(
          Math.max(...batches.map((batch) => batch.reduce((sum, delivery) => sum + delivery.body.length, 0))),
        ).toBeLessThanOrEqual(maxBatchBytes);
      });

      it("keeps to a group's own smaller byte bound", async () => {
        const messages = Array.from({ length: 30 }, () => sized(10_000));
        await bus.publish(messages);
        const batches: Delivery[][] = [];
        await subscribe(
          { group: 'frugal', maxBatch: 500, maxBatchBytes: 50_000 },
          async (batch) => void batches.push([...batch]),
        );
        await waitFor('all 30 events', () => batches.flat().length >= 30);
        expect(batches.flat().map((delivery) => delivery.id)).toEqual(messages.map((message) => message.id));
        expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(5);
      });
    });

    describe('with an idempotent consumer', () => {
      let pool: Pool;
      const consumers: EventConsumer[] = [];
      beforeEach(async () => {
        const url = await fixture.consumerDatabaseUrl();
        await migrateServiceDatabase(url);
        pool = createPool(url);
        await pool.query('CREATE TABLE IF NOT EXISTS rewards (task_id uuid, reward integer)');
        await pool.query('TRUNCATE rewards, ates_inbox, ates_dead_letters');
      });
      afterEach(async () => {
        await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
        await pool.end();
      });

      const sumRewards = async () =>
        (
          await pool.query<{ sum: number; n: number }>(
            'SELECT coalesce(sum(reward),0)::int AS sum, count(*)::int AS n FROM rewards',
          )
        ).rows[0]!;
      let broken = true;
      const handlers = [
        on(TaskCompletedV1, async (event, tx) => {
          const number = numberOfReward(event.data.completion_reward);
          if (number === 13 && broken) throw new Error('event 13 is unlucky');
          await tx.query('INSERT INTO rewards (task_id, reward) VALUES ($1, $2)', [event.data.task_id, number]);
        }),
      ];
      const startConsumer = async () => {
        const consumer = await EventConsumer.start({ bus, pool, group: 'ledger', handlers, redrivePollMs: 100 });
        consumers.push(consumer);
        return consumer;
      };

      it('dead-letters a malformed event with its reason and keeps going', async () => {
        broken = false;
        const good = taskCompletions(10);
        const wrongType = JSON.parse(good[3]!.body) as { data: Record<string, unknown> };
        wrongType.data['completion_reward'] = 'a lot';
        await bus.publish([
          ...good.slice(0, 3),
          { id: 'garbage-1', name: 'task.completed', key: 'k', body: '{"broken json' },
          { ...good[3]!, body: JSON.stringify(wrongType) },
          ...good.slice(4),
        ]);
        await startConsumer();
        await waitFor('the 9 good events', async () => (await sumRewards()).n === 9);
        const letters = await waitFor('2 dead letters', async () => {
          const found = await listDeadLetters(pool, { group: 'ledger' });
          return found.length === 2 ? found : undefined;
        });
        expect(letters.map((letter) => letter.reason)).toEqual([
          expect.stringMatching(/^not JSON/),
          'task.completed.v1 does not match its schema: /data/completion_reward must be integer',
        ]);
        expect((await sumRewards()).sum).toBe(0 + 1 + 2 + 4 + 5 + 6 + 7 + 8 + 9);
      });

      it('applies each event once however often it is delivered', async () => {
        broken = false;
        const events = taskCompletions(40);
        await bus.publish(events);
        await startConsumer();
        await waitFor('40 applied', async () => (await sumRewards()).n === 40);
        await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
        await bus.seek('ledger', 0);
        await startConsumer();
        await waitFor('replayed', async () => (await bus.lag('ledger')) === 0);
        expect(await sumRewards()).toEqual({ n: 40, sum: (39 * 40) / 2 });
      });

      it('hands a handler idempotent by itself every delivery again, and records none in the inbox', async () => {
        const events = taskCompletions(5);
        await bus.publish(events);
        const seen: string[] = [];
        const selfChecking = onBatch(
          [TaskCompletedV1],
          async (batch) => {
            seen.push(...batch.map((event) => event.event_id));
          },
          { idempotent: true },
        );
        const start = async () => {
          const consumer = await EventConsumer.start({ bus, pool, group: 'self-checking', handlers: selfChecking });
          consumers.push(consumer);
        };
        await start();
        await waitFor('first pass', async () => seen.length === 5);
        await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
        await bus.seek('self-checking', 0);
        await start();
        await waitFor('replayed', async () => seen.length === 10);
        const ids = events.map((event) => event.id);
        expect(seen).toEqual([...ids, ...ids]);
        expect((await pool.query('SELECT event_id FROM ates_inbox')).rows).toEqual([]);
      });

      it('puts a poison event aside, applies the events behind it, and re-drives it once fixed', async () => {
        broken = true;
        const events = taskCompletions(20, 1);
        await bus.publish(events);
        await startConsumer();
        await waitFor('19 applied', async () => (await sumRewards()).n === 19);
        const [letter] = await waitFor('the poison', async () => {
          const found = await listDeadLetters(pool);
          return found.length === 1 ? found : undefined;
        });
        expect(letter!.reason).toBe('handler failed 4 times: event 13 is unlucky');
        expect(letter!.eventId).toBe(events[13]!.id);

        broken = false;
        expect(await requestRedrive(pool, { group: 'ledger' })).toBe(1);
        await waitFor('re-driven', async () => (await sumRewards()).n === 20);
        expect((await sumRewards()).sum).toBe((19 * 20) / 2);
        expect(await listDeadLetters(pool)).toEqual([]);
      });

      it('puts aside an event stored over the limit without reading it, and the events behind it go on', async () => {
        broken = false;
        const [first, second] = taskCompletions(2, 1);
        await bus.publish([first!]);
        const oversized = { ...first!, id: uuidv7(), body: `{"padding":"${'x'.repeat(maxEventBytes + 50_000)}"}` };
        await fixture.storeOversized(oversized);
        await bus.publish([second!]);
        await startConsumer();
        await waitFor('both good events', async () => (await sumRewards()).n === 2);
        const [letter] = await waitFor('the oversized event as a dead letter', async () => {
          const found = await listDeadLetters(pool, { group: 'ledger' });
          return found.length === 1 ? found : undefined;
        });
        expect({ id: letter!.eventId, body: letter!.body }).toEqual({ id: oversized.id, body: '' });
        expect(letter!.reason).toMatch(
          new RegExp(
            `^the event is ${Buffer.byteLength(oversized.body)} bytes; events may be at most ${maxEventBytes} bytes`,
          ),
        );
      });

      it('lets an operator set aside the event a group is stuck on', async () => {
        broken = false;
        const events = taskCompletions(6, 1);
        const stuckHandlers = [
          on(TaskCompletedV1, async (event, tx) => {
            // Looks like the world failing, not the event: the consumer retries it forever.
            if (event.event_id === events[2]!.id)
              throw Object.assign(new Error('the disk is on fire'), { code: '58030' });
            await tx.query('INSERT INTO rewards (task_id, reward) VALUES ($1, $2)', [
              event.data.task_id,
              numberOfReward(event.data.completion_reward),
            ]);
          }),
        ];
        await bus.publish(events);
        consumers.push(await EventConsumer.start({ bus, pool, group: 'stuck', handlers: stuckHandlers, maxBatch: 1 }));
        const stuck = await waitFor('the group to be stuck', () => stuckConsumers(['stuck'])[0]);
        expect({ eventId: stuck.eventId, error: stuck.error }).toEqual({
          eventId: events[2]!.id,
          error: 'the disk is on fire',
        });
        expect((await sumRewards()).n).toBe(2);

        await setAside(pool, 'stuck', stuck.position);
        await waitFor('the events behind it', async () => (await sumRewards()).n === 5, 60_000);
        const letters = await listDeadLetters(pool, { group: 'stuck' });
        expect(letters.map((letter) => [letter.eventId, letter.reason])).toEqual([
          [events[2]!.id, 'set aside by an operator after: the disk is on fire'],
        ]);
        expect(
          (await pool.query<{ reward: number }>('SELECT reward FROM rewards ORDER BY reward')).rows.map(
            (row) => row.reward,
          ),
        ).toEqual([0, 1, 3, 4, 5]);
        expect(stuckConsumers(['stuck'])).toEqual([]);
      });

      describe('in lanes', () => {
        const laneOf = (taskId: string) => partitionOf(taskId, 2);
        const applied = async () =>
          (
            await pool.query<{ task_id: string; reward: number; txid: string }>(
              'SELECT task_id, reward, txid FROM applied_in_lanes ORDER BY seq',
            )
          ).rows;
        beforeEach(async () => {
          await pool.query(
            'CREATE TABLE IF NOT EXISTS applied_in_lanes (seq bigserial, task_id uuid, reward integer, txid bigint)',
          );
          await pool.query('TRUNCATE applied_in_lanes');
        });
        const laneHandlers = [
          on(TaskCompletedV1, async (event, tx) => {
            const number = numberOfReward(event.data.completion_reward);
            if (number === 13 && broken) throw new Error('event 13 is unlucky');
            await tx.query('INSERT INTO applied_in_lanes (task_id, reward, txid) VALUES ($1, $2, txid_current())', [
              event.data.task_id,
              number,
            ]);
          }),
        ];
        const startInLanes = async (minimumBytes = 1) =>
          consumers.push(
            await EventConsumer.start({
              bus,
              pool,
              group: 'lanes',
              handlers: laneHandlers,
              lanes: { count: 2, minimumBytes },
            }),
          );
        const lanesPerTransaction = (rows: { task_id: string; txid: string }[]) => {
          const lanes = new Map<string, Set<number>>();
          for (const row of rows) lanes.set(row.txid, (lanes.get(row.txid) ?? new Set()).add(laneOf(row.task_id)));
          return [...lanes.values()];
        };

        it("applies a batch in two transactions, each one lane's partition keys, every key in publish order", async () => {
          broken = false;
          // 20 tasks: all in one lane by chance once in half a million runs.
          await bus.publish(taskCompletions(60, 20));
          await startInLanes();
          await waitFor('60 applied', async () => (await applied()).length === 60);
          const rows = await applied();
          expect(rows.map((row) => row.reward).sort((a, b) => a - b)).toEqual([...Array(60).keys()]);
          expect(lanesPerTransaction(rows).every((lanes) => lanes.size === 1)).toBe(true);
          expect(new Set(rows.map((row) => laneOf(row.task_id)))).toEqual(new Set([0, 1]));
          const perTask = new Map<string, number[]>();
          for (const row of rows) perTask.set(row.task_id, [...(perTask.get(row.task_id) ?? []), row.reward]);
          for (const rewards of perTask.values()) expect(rewards).toEqual([...rewards].sort((a, b) => a - b));
        });

        it("applies a batch smaller than the lanes' minimum bytes in one transaction", async () => {
          broken = false;
          await bus.publish(taskCompletions(60, 20));
          await startInLanes(10_000_000);
          await waitFor('60 applied', async () => (await applied()).length === 60);
          expect(lanesPerTransaction(await applied()).some((lanes) => lanes.size === 2)).toBe(true);
        });

        it('keeps what one lane committed when the other fails, and applies nothing twice', async () => {
          broken = true;
          const events = taskCompletions(40, 20);
          await bus.publish(events);
          await startInLanes();
          await waitFor(
            'the poison set aside',
            async () => (await listDeadLetters(pool, { group: 'lanes' })).length === 1,
          );
          await waitFor('39 applied', async () => (await applied()).length === 39);
          const rows = await applied();
          expect(rows.map((row) => row.reward).sort((a, b) => a - b)).toEqual(
            [...Array(40).keys()].filter((n) => n !== 13),
          );
          const [letter] = await listDeadLetters(pool, { group: 'lanes' });
          expect(letter!.eventId).toBe(events[13]!.id);
        });
      });

      it('writes nothing of a batch whose event fails half-way', async () => {
        broken = true;
        const events = taskCompletions(15, 1);
        await bus.publish(events);
        await startConsumer();
        await waitFor('14 applied', async () => (await sumRewards()).n === 14);
        const rewards = (await pool.query<{ reward: number }>('SELECT reward FROM rewards ORDER BY reward')).rows.map(
          (r) => r.reward,
        );
        expect(rewards).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]);
        const inbox = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ates_inbox')).rows[0]!.n;
        expect(inbox).toBe(14);
      });
    });
  });
}
