import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KV } from '@nats-io/kv';
import { partitionOf } from '../../partitions/index.ts';

/** The key of a group's lease on a partition; its value is the holding member's id. */
export function leaseKey(group: string, partition: number): string {
  return `${group}.p.${partition}`;
}

/**
 * A member's name, as operators see it holding partitions: the host and process it runs
 * in, and a random part so a restarted process with the same pid is another member.
 */
function memberName(): string {
  const host = hostname().replace(/[^-\w]/g, '_');
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** What a member does when it comes to hold a partition, or stops holding one. */
export interface PartitionHolder {
  take(partition: number): Promise<void>;
  /** Resolves once nothing of the partition is in hand, so the next holder starts where this one stopped. */
  give(partition: number): Promise<void>;
}

/**
 * Shares a group's partitions among its live members through leases in a JetStream
 * key-value bucket whose entries expire after `leaseMs` (the bucket's TTL).
 *
 * Every `leaseMs / 3` a member renews its heartbeat (`<group>.m.<member>`) and its
 * leases (`<group>.p.<partition>`, compare-and-set on the revision it holds), counts the
 * live members, gives up what is above its fair share and claims free partitions up to
 * it. A member that dies stops renewing; its leases expire and the others claim them.
 * A lease it cannot renew (it was too slow, another took it) is given up at once.
 */
export class PartitionLeases {
  /** Partition → the revision of our lease on it. */
  private readonly held = new Map<number, number>();
  private readonly memberKey: string;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private leaving = false;

  private constructor(
    private readonly kv: KV,
    private readonly group: string,
    private readonly partitions: number,
    private readonly holder: PartitionHolder,
    private readonly member: string,
  ) {
    this.memberKey = `${group}.m.${member}`;
  }

  /** Joins the group's members and claims a first share before resolving. */
  static async join(
    kv: KV,
    group: string,
    options: { partitions: number; leaseMs: number },
    holder: PartitionHolder,
  ): Promise<PartitionLeases> {
    const leases = new PartitionLeases(kv, group, options.partitions, holder, memberName());
    await leases.tick();
    leases.timer = setInterval(() => {
      leases.ticking = leases.ticking.then(() => leases.tick()).catch(() => undefined);
    }, options.leaseMs / 3);
    return leases;
  }

  /** The partitions this member holds right now, in order. */
  private holding(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** Gives every partition back, so the others can claim them without waiting for expiry. */
  async leave(): Promise<void> {
    this.leaving = true;
    clearInterval(this.timer);
    await this.ticking;
    for (const partition of this.holding()) await this.release(partition);
    await this.kv.delete(this.memberKey).catch(() => undefined);
  }

  private partitionKey(partition: number): string {
    return leaseKey(this.group, partition);
  }

  private async tick(): Promise<void> {
    if (this.leaving) return;
    // Renewals first: a member that cannot reach the bucket must stop before its leases expire.
    for (const [partition, revision] of [...this.held]) {
      try {
        this.held.set(partition, await this.kv.update(this.partitionKey(partition), this.member, revision));
      } catch {
        // Someone else may hold it by now: stop handling it before anything more is done.
        this.held.delete(partition);
        await this.holder.give(partition);
      }
    }
    await this.kv.put(this.memberKey, '');
    let members = 0;
    for await (const _ of await this.kv.keys(`${this.group}.m.>`)) members += 1;
    const fairShare = Math.ceil(this.partitions / Math.max(1, members));
    for (const partition of this.holding().slice(fairShare)) await this.release(partition);
    // Start the search at a place of our own, so members starting together claim apart.
    const offset = partitionOf(this.member, this.partitions);
    for (let step = 0; step < this.partitions && this.held.size < fairShare && !this.leaving; step += 1) {
      const partition = (offset + step) % this.partitions;
      if (this.held.has(partition)) continue;
      const revision = await this.kv.create(this.partitionKey(partition), this.member).catch(() => undefined);
      if (revision === undefined) continue;
      this.held.set(partition, revision);
      try {
        await this.holder.take(partition);
      } catch {
        // Not handled here after all: free it for whoever can.
        this.held.delete(partition);
        await this.kv.delete(this.partitionKey(partition), { previousSeq: revision }).catch(() => undefined);
      }
    }
  }

  private async release(partition: number): Promise<void> {
    const revision = this.held.get(partition);
    if (revision === undefined) return;
    await this.holder.give(partition);
    this.held.delete(partition);
    await this.kv.delete(this.partitionKey(partition), { previousSeq: revision }).catch(() => undefined);
  }
}
