import type { AuthenticatedUser } from '@ates/platform/auth';
import { barChart, formatMoney, html, page, type SafeHtml } from '@ates/platform/http';
import { addDays, type BusinessDay } from '@ates/platform/time';
import type { AccountBalance, AuditLine } from '../../db/ledgerQueries.ts';

export interface Frame {
  user: AuthenticatedUser;
  csrfToken: string;
  notice?: { kind: 'info' | 'error'; text: string } | undefined;
}

function frame(title: string, options: Frame, body: SafeHtml): string {
  return page({
    title,
    service: 'accounting',
    user: { name: options.user.name, role: options.user.role },
    csrfToken: options.csrfToken,
    notice: options.notice,
    body,
  });
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

export function auditTable(lines: AuditLine[]): SafeHtml {
  if (lines.length === 0) return html`<p class="muted" data-testid="audit-empty">Nothing was posted on this day.</p>`;
  return html`<div class="table-wrap"><table data-testid="audit-log"><thead><tr><th>Time</th><th>What</th><th>Task</th><th class="num">Amount</th><th class="num">Balance after</th></tr></thead><tbody>
${lines.map(
  (
    line,
  ) => html`<tr data-kind="${line.kind}"><td>${line.appliedAt.toISOString().slice(11, 19)}</td><td>${kindLabel[line.kind]}</td>
<td>${line.taskId ? html`${line.taskTitle ?? 'task not known yet'}${line.jiraId ? html` <span class="pill">${line.jiraId}</span>` : ''}${line.taskDescription ? html`<div class="muted">${line.taskDescription.slice(0, 120)}</div>` : ''}` : html`<span class="muted">end of day</span>`}</td>
<td class="num">${money(line.amount)}</td><td class="num">${money(line.balanceAfter)}</td></tr>`,
)}</tbody></table></div>`;
}

export function myAccountPage(
  options: Frame & { balance: number; day: BusinessDay; today: BusinessDay; lines: AuditLine[] },
): string {
  return frame(
    'My account',
    options,
    html`<h1>My account</h1>
<div class="grid"><div class="card"><div class="muted">Balance now</div><div class="figure" data-testid="balance">${money(options.balance)}</div>
<div class="muted">${options.balance < 0 ? 'A negative balance carries over: finish tasks to get out of it.' : 'Paid out at the end of the business day.'}</div></div></div>
<h2>Audit log</h2>${dayPicker('/', options.day, options.today)}${auditTable(options.lines)}`,
  );
}

export function overviewPage(
  options: Frame & {
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
  },
): string {
  const pages = Math.max(1, Math.ceil(options.total / options.pageSize));
  const link = (target: number) =>
    `/?page=${target}${options.search ? `&search=${encodeURIComponent(options.search)}` : ''}`;
  return frame(
    'Accounting',
    options,
    html`<h1>Accounting</h1>
<div class="grid"><div class="card"><div class="muted">Top management earned ${options.openDay === options.today ? 'today' : 'on the open business day'} (${options.openDay})</div><div class="figure" data-testid="earned-today">${money(options.earnedToday)}</div></div>
<div class="card"><form method="post" action="/close-day"><input type="hidden" name="_csrf" value="${options.csrfToken}">
<label for="close-day">Close a business day</label><input id="close-day" type="date" name="day" value="${options.today}" max="${options.today}">
<p><button type="submit" class="danger">Close day</button></p><p class="muted">Pays out every positive balance and emails each popug.</p></form></div></div>
<div class="card">${barChart(
      options.earnings.map((point) => ({ label: point.day.slice(5), value: point.earned })),
      {
        title: `Management earnings per day, ${options.earnings[0]?.day ?? ''} to ${options.openDay}`,
        format: formatMoney,
      },
    )}</div>
<h2>Accounts</h2>
<form class="toolbar" method="get" action="/"><div><label for="search">Search</label><input id="search" type="search" name="search" value="${options.search}"></div><button class="secondary" type="submit">Search</button></form>
<div class="table-wrap"><table><thead><tr><th>Popug</th><th class="hide-narrow">Role</th><th class="num">Balance</th></tr></thead><tbody>
${options.accounts.map((account) => html`<tr data-testid="balance-row"><td><a href="/accounts/${account.id}">${account.name}</a><div class="muted hide-narrow">${account.email}</div></td><td class="hide-narrow">${account.role}</td><td class="num">${money(account.balance)}</td></tr>`)}
</tbody></table></div>
<div class="pager">${options.page > 1 ? html`<a href="${link(options.page - 1)}">← Previous</a>` : ''}<span class="muted">Page ${options.page} of ${pages}</span>${options.page < pages ? html`<a href="${link(options.page + 1)}">Next →</a>` : ''}</div>
<h2>Business days</h2>
<div class="table-wrap"><table><thead><tr><th>Day</th><th>State</th><th class="num">Payouts</th><th class="num">Paid out</th></tr></thead><tbody>
${options.days.map((day) => html`<tr data-testid="day-row"><td>${day.day}</td><td>${day.state}</td><td class="num">${day.payouts ?? ''}</td><td class="num">${day.paidOut === null ? '' : formatMoney(day.paidOut)}</td></tr>`)}
</tbody></table></div>`,
  );
}

export function accountAuditPage(
  options: Frame & {
    account: { id: string; name: string };
    balance: number;
    day: BusinessDay;
    today: BusinessDay;
    lines: AuditLine[];
  },
): string {
  return frame(
    `${options.account.name} — audit log`,
    options,
    html`<p><a href="/">← Accounting</a></p><h1>${options.account.name}</h1>
<div class="card"><div class="muted">Balance now</div><div class="figure">${money(options.balance)}</div></div>
${dayPicker(`/accounts/${options.account.id}`, options.day, options.today)}${auditTable(options.lines)}`,
  );
}
