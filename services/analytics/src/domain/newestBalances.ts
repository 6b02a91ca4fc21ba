/** A balance as a posting left it. */
export interface AccountBalance {
  accountId: string;
  balance: number;
  /** The ledger's posting number for the account; 0 for postings announced without one (v1). */
  sequence: number;
  asOf: string;
}

/**
 * Per account, the balance of the posting the ledger applied last: the highest posting
 * number, or the latest time among v1 postings, which have none. A clock time alone
 * misleads: it is when a ledger transaction started, not when it committed.
 */
export function newestBalances(balances: readonly AccountBalance[]): AccountBalance[] {
  const newest = new Map<string, AccountBalance>();
  for (const candidate of balances) {
    const known = newest.get(candidate.accountId);
    const later =
      !known ||
      candidate.sequence > known.sequence ||
      (candidate.sequence === known.sequence && Date.parse(candidate.asOf) >= Date.parse(known.asOf));
    if (later) newest.set(candidate.accountId, candidate);
  }
  return [...newest.values()];
}
