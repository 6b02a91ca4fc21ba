import type { Pool } from '@ates/platform/db';
import { type BusinessDay, daysBetween } from '@ates/platform/time';

export interface TopTask {
  day: BusinessDay;
  taskId: string;
  reward: number;
  title: string | null;
  jiraId: string | null;
}

/**
 * The business day postings go to now: the calendar day, or a later one once accounting
 * closed the calendar day early and began posting to the next.
 */
export async function openBusinessDay(pool: Pool, today: BusinessDay): Promise<BusinessDay> {
  const { rows } = await pool.query<{ day: string }>(
    "SELECT to_char(greatest($1::date, max(day)), 'YYYY-MM-DD') AS day FROM daily_earnings",
    [today],
  );
  return rows[0]!.day;
}

export async function earnedOn(pool: Pool, day: BusinessDay): Promise<number> {
  const { rows } = await pool.query<{ earned: number }>('SELECT earned FROM daily_earnings WHERE day = $1', [day]);
  return rows[0]?.earned ?? 0;
}

export async function popugsInTheRed(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM account_balances WHERE balance < 0');
  return rows[0]!.n;
}

export async function earningsByDay(
  pool: Pool,
  from: BusinessDay,
  to: BusinessDay,
): Promise<{ day: BusinessDay; earned: number }[]> {
  const { rows } = await pool.query<{ day: string; earned: number }>(
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, earned FROM daily_earnings WHERE day BETWEEN $1 AND $2",
    [from, to],
  );
  const byDay = new Map(rows.map((row) => [row.day, row.earned]));
  return daysBetween(from, to).map((day) => ({ day, earned: byDay.get(day) ?? 0 }));
}

/** The most expensive completed task of each day in the range (days without one are left out), newest first. */
export async function topTasksByDay(pool: Pool, from: BusinessDay, to: BusinessDay): Promise<TopTask[]> {
  const { rows } = await pool.query<TopTask>(
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.task_id AS "taskId", d.reward, t.title, t.jira_id AS "jiraId"
     FROM daily_top_task d LEFT JOIN task_titles t ON t.task_id = d.task_id
     WHERE d.day BETWEEN $1 AND $2 ORDER BY d.day DESC`,
    [from, to],
  );
  return rows;
}

/** The single most expensive task of a range: the best of its days (the earliest on a tie). */
export function bestOf(days: readonly TopTask[]): TopTask | undefined {
  return days.reduce<TopTask | undefined>(
    (best, day) =>
      !best || day.reward > best.reward || (day.reward === best.reward && day.day < best.day) ? day : best,
    undefined,
  );
}
