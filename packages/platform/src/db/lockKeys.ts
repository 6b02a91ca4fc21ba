/**
 * Every PostgreSQL advisory lock aTES takes, in one place, so no two uses share a key by
 * accident. Locks are per database; a pair is (namespace, key), often hashtext of a name.
 */
export const lockKeys = {
  /** Bus log appends, serialized so positions become visible in order (also in 3_producers.sql). */
  busAppend: [41_000, 1],
  /** Bus log consumer groups: (namespace, hashtext(group)); the holder is the active member. */
  busGroupNamespace: 41_001,
  /** The outbox relay of one database: one at a time keeps the order. */
  outboxRelay: [41_002, 1],
  /** The SSO's first signing key is made once, however many instances start together. */
  firstSigningKey: 41_100,
  /** Demoting or disabling an admin checks that another remains, one change at a time. */
  lastAdmin: 41_101,
  /** Sign-in attempts: (namespace, hashtext(subject)). */
  signInThrottleNamespace: 41_200,
  /** Shuffles take turns: two at once would lock the same rows in different orders. */
  shuffle: 41_200,
  /** Postings hold it shared while they pick their business day; starting a close, exclusively. */
  dayBoundary: 41_300,
} as const;
