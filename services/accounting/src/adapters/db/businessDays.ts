import type { Tx } from '@ates/platform/db';
import type { BusinessDay } from '@ates/platform/time';

/** Postings hold this lock shared; starting to close a day holds it exclusively. */
export const dayBoundaryLock = 41_300;

export async function lastClosedOrClosingDay(tx: Tx): Promise<BusinessDay | null> {
  const { rows } = await tx.query<{ day: string | null }>("SELECT to_char(max(day), 'YYYY-MM-DD') AS day FROM business_days");
  return rows[0]?.day ?? null;
}

export async function dayState(tx: Tx, day: BusinessDay): Promise<'closing' | 'closed' | undefined> {
  const { rows } = await tx.query<{ state: 'closing' | 'closed' }>('SELECT state FROM business_days WHERE day = $1', [day]);
  return rows[0]?.state;
}
