import type { RuleBroken, RuleKind } from '../errors/index.ts';

const statusOfRule: Record<RuleKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  too_many: 429,
};

/** The one place a broken rule becomes an HTTP status. */
export function httpStatusOf(error: RuleBroken): number {
  return statusOfRule[error.kind];
}
