/**
 * The database cannot be reached or cannot take changes right now: the server is down,
 * the connection was cut, or it is a read-only replica. Trying again later helps.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, …
    if (/^(08|57P)/.test(code) || code === '25006') return true; // connection, shutdown, read-only transaction
  }
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i.test(
    error.message,
  );
}
