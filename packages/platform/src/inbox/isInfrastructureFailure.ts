import { isDatabaseUnreachable } from '../db/index.ts';

/**
 * Tells a failure of the world (database gone, connection cut) from a failure of the
 * event. The first must be retried until the world is back; only the second may put
 * an event aside.
 */
export function isInfrastructureFailure(error: unknown): boolean {
  if (isDatabaseUnreachable(error)) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  // out of resources, system error, or a deadlock/serialization failure: the same work succeeds when tried again
  return typeof code === 'string' && /^(53|58|40)/.test(code);
}
