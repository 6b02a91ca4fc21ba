/** What kind of rule the caller broke; the HTTP shell maps each to one status, in one place. */
export type RuleKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'too_many';

/**
 * A rule of aTES that a request broke and its caller can fix, in words they can act on:
 * the one error vocabulary of every service, domain and app code alike. It imports
 * nothing; the HTTP shell turns it into a 4xx with the message, never a 500.
 */
export class RuleBroken extends Error {
  override readonly name = 'RuleBroken';
  constructor(
    readonly kind: RuleKind,
    message: string,
  ) {
    super(message);
  }
}
