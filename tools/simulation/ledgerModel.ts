/**
 * What the ledger must have done, worked out independently of its SQL: a plain replay of
 * the committed work in the order it committed, and the payroll rules written as sums.
 * The simulation compares the real databases with it after every schedule.
 */

type Day = string;

export interface ModelPosting {
  key: string;
  account: string;
  /** Change of the employee's balance, in cents. */
  change: number;
  day: Day;
}

/** A fee or reward as a task event asks for it. */
export interface AskedPosting {
  key: string;
  account: string;
  change: number;
}

function nextDay(day: Day): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

export class LedgerModel {
  readonly postings = new Map<string, ModelPosting>();
  /** Days a close was started for (its first transaction committed). */
  readonly startedDays = new Set<Day>();

  /** Postings go to today, unless today or a later day has begun closing: then to the day after the latest such. */
  openDay(today: Day): Day {
    const latest = [...this.startedDays].sort().at(-1);
    return latest !== undefined && latest >= today ? nextDay(latest) : today;
  }

  /** A batch of task events committed by the ledger: each fee and reward once, on the open day. */
  committed(asked: readonly AskedPosting[], today: Day): void {
    const day = this.openDay(today);
    for (const posting of asked)
      if (!this.postings.has(posting.key)) this.postings.set(posting.key, { ...posting, day });
  }

  closeStarted(day: Day): void {
    this.startedDays.add(day);
  }

  /** Fees and rewards of the account on days up to and including `day`. */
  earnedThrough(account: string, day: Day): number {
    let sum = 0;
    for (const posting of this.postings.values())
      if (posting.account === account && posting.day <= day) sum += posting.change;
    return sum;
  }

  /** What top management earned each day: the fees it took less the rewards it paid. */
  managementEarnings(): Map<Day, number> {
    const byDay = new Map<Day, number>();
    for (const posting of this.postings.values())
      byDay.set(posting.day, (byDay.get(posting.day) ?? 0) - posting.change);
    return byDay;
  }
}

export interface LedgerSnapshot {
  transfers: {
    kind: 'fee' | 'reward' | 'payout';
    key: string;
    account: string;
    change: number;
    day: Day;
    sequence: number;
    balanceAfter: number;
  }[];
  accounts: { id: string; kind: string; balance: number; lastSequence: number }[];
  days: { day: Day; state: string; payouts: number | null; paidOut: number | null }[];
  deadLetters: string[];
}

export interface AnalyticsSnapshot {
  earnings: Map<Day, number>;
  balances: Map<string, number>;
  inTheRed: number;
  deadLetters: string[];
}

/** Every way the real ledger and analytics differ from the model; empty when they agree. */
export function violations(model: LedgerModel, ledger: LedgerSnapshot, analytics: AnalyticsSnapshot): string[] {
  const found: string[] = [];
  const fail = (message: string) => found.push(message);

  if (ledger.deadLetters.length > 0) fail(`accounting put events aside: ${ledger.deadLetters.join('; ')}`);
  if (analytics.deadLetters.length > 0) fail(`analytics put events aside: ${analytics.deadLetters.join('; ')}`);

  // Every fee and reward exactly once, with its amount, on the day it was due.
  const posted = ledger.transfers.filter((transfer) => transfer.kind !== 'payout');
  const postedKeys = new Set(posted.map((transfer) => transfer.key));
  if (postedKeys.size !== posted.length) fail('a fee or reward was posted twice');
  for (const expected of model.postings.values()) {
    const real = posted.find((transfer) => transfer.key === expected.key);
    if (!real) fail(`${expected.key} was never posted`);
    else if (real.account !== expected.account || real.change !== expected.change || real.day !== expected.day)
      fail(
        `${expected.key} posted as ${real.change} to ${real.account} on ${real.day}; due ${expected.change} to ${expected.account} on ${expected.day}`,
      );
  }
  for (const real of posted) if (!model.postings.has(real.key)) fail(`${real.key} was posted but never asked for`);

  // Double entry: the books balance, and each balance is its postings in order.
  if (ledger.accounts.reduce((sum, account) => sum + account.balance, 0) !== 0) fail('the balances do not sum to 0');
  const payouts = ledger.transfers.filter((transfer) => transfer.kind === 'payout');
  // The company's shards together (companyAccountFor).
  const company = ledger.accounts
    .filter((account) => account.kind === 'company')
    .reduce((sum, account) => sum + account.balance, 0);
  const employeeEarnings = posted.reduce((sum, transfer) => sum + transfer.change, 0);
  if (company !== -employeeEarnings)
    fail(`company balance ${company} is not the fees less the rewards (${-employeeEarnings})`);
  const paidOut = ledger.accounts.find((account) => account.id === 'payouts')?.balance;
  if (paidOut !== -payouts.reduce((sum, transfer) => sum + transfer.change, 0))
    fail(`payouts account ${paidOut} is not the sum of payouts`);
  for (const account of ledger.accounts.filter((candidate) => candidate.kind === 'employee')) {
    const lines = ledger.transfers
      .filter((transfer) => transfer.account === account.id)
      .sort((a, b) => a.sequence - b.sequence);
    let balance = 0;
    lines.forEach((line, index) => {
      balance += line.change;
      if (line.sequence !== index + 1) fail(`${account.id}: posting ${index + 1} has sequence ${line.sequence}`);
      if (line.balanceAfter !== balance)
        fail(
          `${account.id}: after sequence ${line.sequence} the balance is ${line.balanceAfter}, its postings say ${balance}`,
        );
    });
    if (account.balance !== balance) fail(`${account.id}: balance ${account.balance}, its postings say ${balance}`);
    if (account.lastSequence !== lines.length)
      fail(`${account.id}: last sequence ${account.lastSequence} of ${lines.length} postings`);

    // Payroll: each payout is what was earned up to its day and not paid before it; nothing more, nothing twice.
    let paid = 0;
    const paidDays = new Set<Day>();
    for (const payout of lines.filter((line) => line.kind === 'payout')) {
      if (paidDays.has(payout.day)) fail(`${account.id} was paid twice for ${payout.day}`);
      paidDays.add(payout.day);
      const due = model.earnedThrough(account.id, payout.day) - paid;
      if (-payout.change !== due || due <= 0)
        fail(`${account.id} was paid ${-payout.change} for ${payout.day}; due ${due}`);
      paid -= payout.change;
    }
    const closedDays = ledger.days.map((day) => day.day);
    const owed = Math.max(0, ...closedDays.map((day) => model.earnedThrough(account.id, day)));
    if (paid !== owed) fail(`${account.id} was paid ${paid} in all; earnings up to the closed days make it ${owed}`);
  }

  // Every close started was finished, and says what it paid.
  const started = [...model.startedDays].sort();
  const recorded = ledger.days.map((day) => day.day).sort();
  if (started.join() !== recorded.join())
    fail(`closes started for ${started.join(', ')} but the ledger lists ${recorded.join(', ')}`);
  for (const day of ledger.days) {
    const ofDay = payouts.filter((payout) => payout.day === day.day);
    if (day.state !== 'closed') fail(`${day.day} is still ${day.state}`);
    else if (day.payouts !== ofDay.length || day.paidOut !== -ofDay.reduce((sum, payout) => sum + payout.change, 0))
      fail(`${day.day} reports ${day.payouts} payouts of ${day.paidOut}`);
  }

  // Analytics agrees with the ledger whatever order and how often it saw the postings.
  for (const [day, earned] of model.managementEarnings()) {
    if ((analytics.earnings.get(day) ?? 0) !== earned)
      fail(`analytics says management earned ${analytics.earnings.get(day) ?? 0} on ${day}; the ledger ${earned}`);
  }
  for (const day of analytics.earnings.keys())
    if (!model.managementEarnings().has(day)) fail(`analytics has earnings on ${day}, a day without postings`);
  for (const account of ledger.accounts.filter(
    (candidate) => candidate.kind === 'employee' && candidate.lastSequence > 0,
  )) {
    if (analytics.balances.get(account.id) !== account.balance)
      fail(
        `analytics keeps ${analytics.balances.get(account.id)} as ${account.id}'s balance; the ledger ${account.balance}`,
      );
  }
  const inTheRed = ledger.accounts.filter((account) => account.kind === 'employee' && account.balance < 0).length;
  if (analytics.inTheRed !== inTheRed)
    fail(`analytics counts ${analytics.inTheRed} popugs in the red; the ledger ${inTheRed}`);
  return found;
}
