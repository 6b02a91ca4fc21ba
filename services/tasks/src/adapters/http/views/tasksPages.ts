import { formatMoney } from '@ates/platform/money';
import {
  confirmPage,
  csrfField,
  html,
  page,
  pager,
  type SafeHtml,
  table,
  type ViewContext,
} from '@ates/platform/views';
import type { ListedTask } from '../../db/tasksTable.ts';

export interface TasksView extends ViewContext {
  userId: string;
  canShuffle: boolean;
}

export interface Listing {
  tasks: ListedTask[];
  total: number;
  page: number;
  pageSize: number;
  status: string;
  search: string;
}

export interface TaskDraft {
  title?: string | undefined;
  jira_id?: string | undefined;
  description?: string | undefined;
}

function taskCell(task: ListedTask): SafeHtml {
  return html`<strong>${task.title}</strong>${task.jiraId ? html` <span class="pill">${task.jiraId}</span>` : ''}
${task.description ? html`<div class="muted">${task.description.slice(0, 140)}</div>` : ''}`;
}

function doneButton(task: ListedTask, view: TasksView): SafeHtml | '' {
  if (task.status !== 'open' || task.assigneeId !== view.userId) return '';
  return html`<form class="inline" method="post" action="/tasks/${task.id}/done">${csrfField(view.csrfToken)}<button type="submit">Done</button></form>`;
}

function taskTable(listing: Listing, view: TasksView, path: string): SafeHtml {
  return html`${table({
    rows: listing.tasks,
    empty: 'No tasks here.',
    testid: 'tasks',
    rowAttributes: (task) => ({ 'data-testid': 'task-row', 'data-title': task.title }),
    columns: [
      { label: 'Task', cell: taskCell },
      { label: 'Assignee', cell: (task) => task.assigneeName },
      { label: 'Status', cell: (task) => html`<span class="pill ${task.status}">${task.status}</span>` },
      { label: 'Fee', numeric: true, wide: true, cell: (task) => formatMoney(task.assignFee) },
      { label: 'Reward', numeric: true, cell: (task) => formatMoney(task.completionReward) },
      { label: '', cell: (task) => doneButton(task, view) },
    ],
  })}${pager({
    page: listing.page,
    pageSize: listing.pageSize,
    total: listing.total,
    noun: 'tasks',
    path,
    keep: { status: listing.status, search: listing.search },
  })}`;
}

const statusOptions = (selected: string) =>
  [
    ['', 'All'],
    ['open', 'Open'],
    ['done', 'Done'],
  ].map(
    ([value, label]) => html`<option value="${value}" ${value === selected ? html`selected` : ''}>${label}</option>`,
  );

function statusFilter(listing: Listing, path: string, withSearch: boolean): SafeHtml {
  return html`<form class="toolbar" method="get" action="${path}">
<div><label for="status">Status</label><select id="status" name="status">${statusOptions(listing.status)}</select></div>
${withSearch ? html`<div><label for="search">Search</label><input id="search" name="search" type="search" value="${listing.search}" placeholder="title or jira id"></div>` : ''}
<button class="secondary" type="submit">Filter</button></form>`;
}

function newTaskForm(view: TasksView, draft: TaskDraft): SafeHtml {
  return html`<div class="card"><h2>New task</h2>
<form method="post" action="/tasks">${csrfField(view.csrfToken)}
<div class="grid"><div><label for="title">Title</label><input id="title" name="title" type="text" required maxlength="200" value="${draft.title ?? ''}"></div>
<div><label for="jira_id">Jira id</label><input id="jira_id" name="jira_id" type="text" placeholder="UBERPOP-42" value="${draft.jira_id ?? ''}"></div></div>
<label for="description">Description</label><textarea id="description" name="description">${draft.description ?? ''}</textarea>
<div class="actions"><button type="submit">Create task</button> <span class="muted">It goes to a random popug at once.</span></div></form></div>`;
}

// A link, not a form: shuffling happens only after the confirmation page.
const shuffleCard = html`<div class="card"><a class="button secondary" href="/shuffle" data-testid="shuffle">Shuffle…</a>
<span class="muted">Reassigns every open task to a random popug; you confirm first.</span></div>`;

export function allTasksPage(view: TasksView, listing: Listing, draft: TaskDraft = {}): string {
  return page({
    ...view,
    title: 'Tasks',
    service: 'tasks',
    body: html`<h1>Tasks</h1>
<p><a href="/my">My tasks →</a></p>
${newTaskForm(view, draft)}${view.canShuffle ? shuffleCard : ''}
${statusFilter(listing, '/', true)}${taskTable(listing, view, '/')}`,
  });
}

export function myTasksPage(view: TasksView, listing: Listing): string {
  return page({
    ...view,
    title: 'My tasks',
    service: 'tasks',
    body: html`<h1>My tasks</h1><p><a href="/">← All tasks</a></p>
${statusFilter(listing, '/my', false)}${taskTable(listing, view, '/my')}`,
  });
}

export function confirmShufflePage(view: TasksView, openTasks: number): string {
  return confirmPage(view, {
    service: 'tasks',
    title: 'Shuffle open tasks',
    question: `Reassign all ${openTasks} open tasks?`,
    consequences: html`<p>Each open task goes to a random popug who is not an admin or manager. Every reassignment
charges its assignee the task's fee again. This cannot be undone.</p>`,
    action: '/shuffle',
    confirmLabel: `Shuffle ${openTasks} tasks`,
    cancelHref: '/',
  });
}
