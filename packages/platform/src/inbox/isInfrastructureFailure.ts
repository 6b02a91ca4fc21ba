/**
 * Tells a failure of the world (database gone, connection cut) from a failure of the
 * event. The first must be retried until the world is back; only the second may put
 * an event aside.
 */
export function isInfrastructureFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, …
    if (/^(08|53|57P|58)/.test(code)) return true; // connection, resources, shutdown, system
    if (/^40/.test(code)) return true; // deadlock or serialization failure: the same work succeeds when tried again
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(error.message);
}
