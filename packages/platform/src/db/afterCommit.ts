import type pg from 'pg';

const pending = new WeakMap<pg.PoolClient, (() => void)[]>();

/**
 * Runs `effect` once the transaction `tx` has committed (inside `withTransaction`), and never
 * if it rolls back: for what must not happen before the change is visible, like waking the
 * outbox relay.
 */
export function afterCommit(tx: pg.PoolClient, effect: () => void): void {
  const effects = pending.get(tx) ?? [];
  if (!effects.includes(effect)) effects.push(effect);
  pending.set(tx, effects);
}

/** The effects waiting on `tx`, forgotten as they are taken. */
export function takeAfterCommit(tx: pg.PoolClient): (() => void)[] {
  const effects = pending.get(tx) ?? [];
  pending.delete(tx);
  return effects;
}
