import { formatMoney } from '@ates/platform/money';
import { addDays, type BusinessDay } from '@ates/platform/time';
import {
  barChart,
  confirmPage,
  formatTime,
  html,
  page,
  pager,
  type SafeHtml,
  table,
  type ViewContext,
} from '@ates/platform/views';
import type { AccountBalance, AuditLine } from '../../db/ledgerQueries.ts';

/** The business time zone: audit times are shown in it, with its name. */
export interface LedgerView extends ViewContext {
  timeZone: string;
}

const kindLabel = { fee: 'Assignment fee', reward: 'Completion reward', payout: 'Payout' } as const;

function money(cents: number): SafeHtml {
  return html`<span class="${cents < 0 ? 'neg' : cents > 0 ? 'pos' : ''}">${formatMoney(cents)}</span>`;
}

function dayPicker(path: string, day: BusinessDay, today: BusinessDay): SafeHtml {
  return html`<form class="toolbar" method="get" action="${path}">
<a href="${path}?day=${addDays(day, -1)}">← ${addDays(day, -1)}</a>
<div><label for="day">Day</label><input id="day" type="date" name="day" value="${day}" max="${today}"></div><button class="secondary" type="submit">Show</button>
${day < today ? html`<a href="${path}?day=${addDays(day, 1)}">${addDays(day, 1)} →</a>` : ''}</form>`;
}

function taskOf(line: AuditLine): SafeHtml {
  if (!line.taskId) return html`<span class="muted">end of day</span>`;
  return html`${line.taskTitle ?? 'task not known yet'}${line.jiraId ? html` <span class="pill">${line.jiraId}</span>` : ''}
${line.taskDescription ? html`<div class="muted">${line.taskDescription.slice(0, 120)}</div>` : ''}`;
}

export function auditTable(lines: AuditLine[], timeZone: string): SafeHtml {
  return table({
    rows: lines,
    empty: 'Nothing was posted on this day.',
    testid: 'audit-log',
    rowAttributes: (line) => ({ 'data-kind': line.kind }),
    columns: [
      { label: 'Time', cell: (line) => formatTime(line.appliedAt, timeZone) },
      { label: 'What', cell: (line) => kindLabel[line.kind] },
      { label: 'Task', cell: taskOf },
      { label: 'Amount', numeric: true, cell: (line) => money(line.amount) },
      { label: 'Balance after', numeric: true, cell: (line) => money(line.balanceAfter) },
    ],
  });
}

function balanceCard(balance: number, testid?: string): SafeHtml {
  return html`<div class="card"><div class="muted">Balance now</div><div class="figure" data-testid="${testid ?? 'account-balance'}">${money(balance)}</div>
<div class="muted">${balance < 0 ? 'A negative balance carries over: finish tasks to get out of it.' : 'Paid out at the end of the business day.'}</div></div>`;
}

export function myAccountPage(
  view: LedgerView,
  options: { balance: number; day: BusinessDay; today: BusinessDay; lines: AuditLine[] },
): string {
  return page({
    ...view,
    title: 'My balance',
    service: 'accounting',
    body: html`<h1>My balance</h1>
<div class="grid">${balanceCard(options.balance, 'balance')}</div>
<h2>Audit log</h2>${dayPicker('/', options.day, options.today)}${auditTable(options.lines, view.timeZone)}`,
  });
}

export interface Overview {
  /** The calendar day: the latest that can be closed. */
  today: BusinessDay;
  /** The business day postings go to now: today, or a later day after an early close. */
  openDay: BusinessDay;
  earnedToday: number;
  earnings: { day: BusinessDay; earned: number }[];
  accounts: AccountBalance[];
  total: number;
  page: number;
  pageSize: number;
  search: string;
  days: { day: string; state: string; payouts: number | null; paidOut: number | null }[];
}

function accountsTable(overview: Overview): SafeHtml {
  return html`${table({
    rows: overview.accounts,
    empty: overview.search ? `No popug matches "${overview.search}".` : 'No accounts yet.',
    testid: 'balances',
    rowAttributes: () => ({ 'data-testid': 'balance-row' }),
    columns: [
      {
        label: 'Popug',
        cell: (account) =>
          html`<a href="/accounts/${account.id}">${account.name}</a><div class="muted">${account.email}</div>`,
      },
      { label: 'Role', wide: true, cell: (account) => account.role },
      { label: 'Balance', numeric: true, cell: (account) => money(account.balance) },
    ],
  })}${pager({ ...overview, noun: 'accounts', path: '/', keep: { search: overview.search } })}`;
}

function daysTable(overview: Overview): SafeHtml {
  return table({
    rows: overview.days,
    empty: 'No business day has been closed yet.',
    testid: 'days',
    rowAttributes: () => ({ 'data-testid': 'day-row' }),
    columns: [
      { label: 'Day', cell: (day) => day.day },
      { label: 'State', cell: (day) => day.state },
      { label: 'Payouts', numeric: true, cell: (day) => day.payouts ?? '' },
      { label: 'Paid out', numeric: true, cell: (day) => (day.paidOut === null ? '' : formatMoney(day.paidOut)) },
    ],
  });
}

export function overviewPage(view: LedgerView, overview: Overview): string {
  const when = overview.openDay === overview.today ? 'today' : 'on the open business day';
  return page({
    ...view,
    title: 'Accounting',
    service: 'accounting',
    body: html`<h1>Accounting</h1>
<div class="grid"><div class="card"><div class="muted">Top management earned ${when} (${overview.openDay})</div>
<div class="figure" data-testid="earned-today">${money(overview.earnedToday)}</div></div>
<div class="card"><form method="get" action="/close-day">
<label for="close-day">Close a business day</label><input id="close-day" type="date" name="day" value="${overview.today}" max="${overview.today}">
<div class="actions"><button type="submit" class="danger">Close day…</button></div>
<p class="muted">Pays out every positive balance and emails each popug; you confirm first.</p></form></div></div>
<div class="card">${barChart(
      overview.earnings.map((point) => ({ label: point.day.slice(5), value: point.earned })),
      {
        title: `Management earnings per day, ${overview.earnings[0]?.day ?? ''} to ${overview.openDay}`,
        format: formatMoney,
      },
    )}</div>
<h2>Accounts</h2>
<form class="toolbar" method="get" action="/"><div><label for="search">Search</label><input id="search" type="search" name="search" value="${overview.search}"></div>
<button class="secondary" type="submit">Search</button></form>
${accountsTable(overview)}
<h2>Business days</h2>${daysTable(overview)}`,
  });
}

export function accountAuditPage(
  view: LedgerView,
  options: {
    account: { id: string; name: string };
    balance: number;
    day: BusinessDay;
    today: BusinessDay;
    lines: AuditLine[];
  },
): string {
  return page({
    ...view,
    title: `${options.account.name} — audit log`,
    service: 'accounting',
    body: html`<p><a href="/">← Accounting</a></p><h1>${options.account.name}</h1>
${balanceCard(options.balance)}
${dayPicker(`/accounts/${options.account.id}`, options.day, options.today)}${auditTable(options.lines, view.timeZone)}`,
  });
}

export function confirmCloseDayPage(view: ViewContext, day: BusinessDay): string {
  return confirmPage(view, {
    service: 'accounting',
    title: `Close ${day}`,
    question: `Close the business day ${day}?`,
    consequences: html`<p>Every popug with a positive balance at the end of ${day} is paid it and gets an email
saying so; negative balances carry over. Payouts cannot be taken back. Closing a day that is already closed
changes nothing.</p>`,
    action: '/close-day',
    fields: { day },
    confirmLabel: `Close ${day} and pay out`,
    cancelHref: '/',
  });
}
