import type { AuthenticatedUser } from '@ates/platform/auth';
import { formatMoney, html, page, type SafeHtml } from '@ates/platform/http';
import type { ListedTask } from '../../db/tasksTable.ts';

export interface TasksView {
  user: AuthenticatedUser;
  csrfToken: string;
  canShuffle: boolean;
  notice?: { kind: 'info' | 'error'; text: string } | undefined;
}

export interface Listing {
  tasks: ListedTask[];
  total: number;
  page: number;
  pageSize: number;
  status: string;
  search: string;
}

function pager(listing: Listing, path: string): SafeHtml {
  const pages = Math.max(1, Math.ceil(listing.total / listing.pageSize));
  const link = (target: number) => {
    const query = new URLSearchParams({ page: String(target) });
    if (listing.status) query.set('status', listing.status);
    if (listing.search) query.set('search', listing.search);
    return `${path}?${query}`;
  };
  return html`<div class="pager">${listing.page > 1 ? html`<a href="${link(listing.page - 1)}">← Newer</a>` : ''}
<span class="muted">Page ${listing.page} of ${pages} · ${listing.total} tasks</span>${listing.page < pages ? html`<a href="${link(listing.page + 1)}">Older →</a>` : ''}</div>`;
}

function taskRows(tasks: ListedTask[], view: TasksView, withDone: boolean): SafeHtml {
  if (tasks.length === 0) return html`<tr><td colspan="6" class="muted">No tasks here.</td></tr>`;
  return html`${tasks.map(
    (task) => html`<tr data-testid="task-row" data-title="${task.title}">
<td><strong>${task.title}</strong>${task.jiraId ? html` <span class="pill">${task.jiraId}</span>` : ''}${task.description ? html`<div class="muted">${task.description.slice(0, 140)}</div>` : ''}</td>
<td>${task.assigneeName}</td>
<td><span class="pill ${task.status}">${task.status}</span></td>
<td class="num hide-narrow">${formatMoney(task.assignFee)}</td><td class="num">${formatMoney(task.completionReward)}</td>
<td>${withDone && task.status === 'open' && task.assigneeId === view.user.id ? html`<form class="inline" method="post" action="/tasks/${task.id}/done"><input type="hidden" name="_csrf" value="${view.csrfToken}"><button type="submit">Done</button></form>` : ''}</td></tr>`,
  )}`;
}

function table(tasks: ListedTask[], view: TasksView, withDone: boolean): SafeHtml {
  return html`<div class="table-wrap"><table><thead><tr><th>Task</th><th>Assignee</th><th>Status</th><th class="num hide-narrow">Fee</th><th class="num">Reward</th><th></th></tr></thead>
<tbody>${taskRows(tasks, view, withDone)}</tbody></table></div>`;
}

function frame(title: string, view: TasksView, body: SafeHtml): string {
  return page({
    title,
    service: 'tasks',
    user: { name: view.user.name, role: view.user.role },
    csrfToken: view.csrfToken,
    notice: view.notice,
    body,
  });
}

const statusOptions = (selected: string) =>
  [
    ['', 'All'],
    ['open', 'Open'],
    ['done', 'Done'],
  ].map(
    ([value, label]) => html`<option value="${value}" ${value === selected ? html`selected` : ''}>${label}</option>`,
  );

export function allTasksPage(
  view: TasksView,
  listing: Listing,
  draft: { title?: string; jira_id?: string; description?: string } = {},
): string {
  return frame(
    'Tasks',
    view,
    html`<h1>Tasks</h1>
<p><a href="/my">My tasks →</a></p>
<div class="card"><h2 style="margin-top:0">New task</h2>
<form method="post" action="/tasks"><input type="hidden" name="_csrf" value="${view.csrfToken}">
<div class="grid"><div><label for="title">Title</label><input id="title" name="title" type="text" required maxlength="200" value="${draft.title ?? ''}"></div>
<div><label for="jira_id">Jira id</label><input id="jira_id" name="jira_id" type="text" placeholder="UBERPOP-42" value="${draft.jira_id ?? ''}"></div></div>
<label for="description">Description</label><textarea id="description" name="description">${draft.description ?? ''}</textarea>
<p><button type="submit">Create task</button> <span class="muted">It goes to a random popug at once.</span></p></form></div>
${view.canShuffle ? html`<div class="card"><form method="post" action="/shuffle"><input type="hidden" name="_csrf" value="${view.csrfToken}"><button type="submit" class="danger">Shuffle</button> <span class="muted">Reassigns every open task to a random popug.</span></form></div>` : ''}
<form class="toolbar" method="get" action="/"><div><label for="status">Status</label><select id="status" name="status">${statusOptions(listing.status)}</select></div>
<div><label for="search">Search</label><input id="search" name="search" type="search" value="${listing.search}" placeholder="title or jira id"></div><button class="secondary" type="submit">Filter</button></form>
${table(listing.tasks, view, true)}${pager(listing, '/')}`,
  );
}

export function myTasksPage(view: TasksView, listing: Listing): string {
  return frame(
    'My tasks',
    view,
    html`<h1>My tasks</h1><p><a href="/">← All tasks</a></p>
<form class="toolbar" method="get" action="/my"><div><label for="status">Status</label><select id="status" name="status">${statusOptions(listing.status)}</select></div><button class="secondary" type="submit">Filter</button></form>
${table(listing.tasks, view, true)}${pager(listing, '/my')}`,
  );
}
