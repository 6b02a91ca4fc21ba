import type { AuthenticatedUser } from '@ates/platform/auth';
import { barChart, formatMoney, html, page, type SafeHtml } from '@ates/platform/http';
import type { BusinessDay } from '@ates/platform/time';
import type { Period } from '../../../domain/periods.ts';
import type { TopTask } from '../../db/figures.ts';

function taskLine(task: TopTask | undefined): SafeHtml {
  if (!task) return html`<span class="muted">no completed task</span>`;
  return html`<strong>${formatMoney(task.reward)}</strong> — ${task.title ?? 'untitled task'}${task.jiraId ? html` <span class="pill">${task.jiraId}</span>` : ''} <span class="muted">(${task.day})</span>`;
}

export function analyticsPage(options: {
  user: AuthenticatedUser;
  csrfToken: string;
  notice?: { kind: 'info'; text: string } | undefined;
  day: BusinessDay;
  earnedToday: number;
  inTheRed: number;
  periods: { period: Period; best: TopTask | undefined }[];
  range: { from: BusinessDay; to: BusinessDay; days: TopTask[]; best: TopTask | undefined };
  earnings: { day: BusinessDay; earned: number }[];
}): string {
  return page({
    title: 'Analytics',
    service: 'analytics',
    user: { name: options.user.name, role: options.user.role },
    csrfToken: options.csrfToken,
    notice: options.notice,
    body: html`<h1>Analytics</h1>
<div class="grid">
<div class="card"><div class="muted">Top management earned today</div><div class="figure" data-testid="earned-today">${formatMoney(options.earnedToday)}</div></div>
<div class="card"><div class="muted">Popugs in the red now</div><div class="figure" data-testid="in-the-red">${options.inTheRed}</div></div>
</div>
<h2>Most expensive task</h2>
<form class="toolbar" method="get" action="/"><div><label for="day">Around</label><input id="day" type="date" name="day" value="${options.day}"></div><button class="secondary" type="submit">Show</button></form>
<div class="grid">${options.periods.map(
      ({ period, best }) =>
        html`<div class="card" data-testid="most-expensive-${period.name}"><div class="muted">${period.name === 'day' ? period.from : `${period.name} ${period.from} – ${period.to}`}</div><div>${taskLine(best)}</div></div>`,
    )}</div>
<h2>Any range</h2>
<form class="toolbar" method="get" action="/"><input type="hidden" name="day" value="${options.day}">
<div><label for="from">From</label><input id="from" type="date" name="from" value="${options.range.from}"></div>
<div><label for="to">To</label><input id="to" type="date" name="to" value="${options.range.to}"></div><button class="secondary" type="submit">Show</button></form>
<div class="card" data-testid="range-best">${options.range.from} – ${options.range.to}: ${taskLine(options.range.best)}</div>
<div class="table-wrap"><table><thead><tr><th>Day</th><th>Task</th><th class="num">Reward</th></tr></thead><tbody>
${options.range.days.length === 0 ? html`<tr><td colspan="3" class="muted">No task was completed in this range.</td></tr>` : ''}
${options.range.days.map((day) => html`<tr data-testid="range-day"><td>${day.day}</td><td>${day.title ?? 'untitled task'}${day.jiraId ? html` <span class="pill">${day.jiraId}</span>` : ''}</td><td class="num">${formatMoney(day.reward)}</td></tr>`)}
</tbody></table></div>
<div class="card" style="margin-top:1rem">${barChart(
      options.earnings.map((point) => ({ label: point.day.slice(5), value: point.earned })),
      {
        title: `Management earnings per day, ${options.earnings[0]?.day ?? ''} to ${options.earnings.at(-1)?.day ?? ''}`,
        format: formatMoney,
      },
    )}</div>
<div class="card"><form method="post" action="/rebuild"><input type="hidden" name="_csrf" value="${options.csrfToken}"><button type="submit" class="secondary">Rebuild from the event log</button>
<span class="muted">Throws the figures away and replays every event.</span></form></div>`,
  });
}
