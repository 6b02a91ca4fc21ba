const relays = new Set<() => void>();

/**
 * Tells the outbox relays of this process that committed events are waiting. In-process,
 * so a write does not pay for a NOTIFY: PostgreSQL serializes notifying commits behind one
 * cluster-wide lock, which cost the create-task path a measured 14–40 % of its throughput.
 */
export function outboxWritten(): void {
  for (const wake of relays) wake();
}

/** How a relay hears of `outboxWritten`; returns the way to stop hearing. */
export function onOutboxWritten(wake: () => void): () => void {
  relays.add(wake);
  return () => relays.delete(wake);
}
