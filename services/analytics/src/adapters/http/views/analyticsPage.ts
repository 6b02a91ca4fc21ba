import { formatMoney } from '@ates/platform/money';
import type { BusinessDay } from '@ates/platform/time';
import { barChart, confirmPage, html, page, type SafeHtml, table, type ViewContext } from '@ates/platform/views';
import type { Period } from '../../../domain/periods.ts';
import type { TopTask } from '../../db/figures.ts';

function taskLine(task: TopTask | undefined): SafeHtml {
  if (!task) return html`<span class="muted">no completed task</span>`;
  return html`<strong>${formatMoney(task.reward)}</strong> — ${task.title ?? 'untitled task'}${task.jiraId ? html` <span class="pill">${task.jiraId}</span>` : ''} <span class="muted">(${task.day})</span>`;
}

export function analyticsPage(
  view: ViewContext,
  options: {
    day: BusinessDay;
    earnedToday: number;
    inTheRed: number;
    periods: { period: Period; best: TopTask | undefined }[];
    range: { from: BusinessDay; to: BusinessDay; days: TopTask[]; best: TopTask | undefined };
    earnings: { day: BusinessDay; earned: number }[];
  },
): string {
  return page({
    ...view,
    title: 'Analytics',
    service: 'analytics',
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
${table({
  rows: options.range.days,
  empty: 'No task was completed in this range.',
  testid: 'range-days',
  rowAttributes: () => ({ 'data-testid': 'range-day' }),
  columns: [
    { label: 'Day', cell: (day) => day.day },
    {
      label: 'Task',
      cell: (day) =>
        html`${day.title ?? 'untitled task'}${day.jiraId ? html` <span class="pill">${day.jiraId}</span>` : ''}`,
    },
    { label: 'Reward', numeric: true, cell: (day) => formatMoney(day.reward) },
  ],
})}
<div class="card spaced">${barChart(
      options.earnings.map((point) => ({ label: point.day.slice(5), value: point.earned })),
      {
        title: `Management earnings per day, ${options.earnings[0]?.day ?? ''} to ${options.earnings.at(-1)?.day ?? ''}`,
        format: formatMoney,
      },
    )}</div>
<div class="card"><a class="button secondary" href="/rebuild">Rebuild from the event log…</a>
<span class="muted">Throws the figures away and replays every event; you confirm first.</span></div>`,
  });
}

export function confirmRebuildPage(view: ViewContext): string {
  return confirmPage(view, {
    service: 'analytics',
    title: 'Rebuild analytics',
    question: 'Rebuild every figure from the event log?',
    consequences: html`<p>The figures are emptied at once and filled again as every event is replayed; until the
replay catches up, dashboards show partial figures. No money and no task changes.</p>`,
    action: '/rebuild',
    confirmLabel: 'Rebuild now',
    cancelHref: '/',
  });
}
