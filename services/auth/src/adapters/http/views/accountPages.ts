import type { AuthenticatedUser } from '@ates/platform/auth';
import { html, page, type SafeHtml } from '@ates/platform/http';
import { type Account, roles } from '../../../domain/account.ts';
import { beakPicker } from './beakPicker.ts';

interface Frame {
  user: AuthenticatedUser;
  csrfToken: string;
  notice?: { kind: 'info' | 'error'; text: string } | undefined;
}

function frame(title: string, options: Frame, body: SafeHtml): string {
  return page({
    title,
    service: 'auth',
    user: { name: options.user.name, role: options.user.role },
    csrfToken: options.csrfToken,
    notice: options.notice,
    body,
  });
}

const roleOptions = (selected: string) =>
  roles.map((role) => html`<option value="${role}" ${role === selected ? html`selected` : ''}>${role}</option>`);

export function accountsPage(
  options: Frame & { accounts: Account[]; total: number; page: number; pageSize: number; search: string },
): string {
  const pages = Math.max(1, Math.ceil(options.total / options.pageSize));
  const link = (target: number) =>
    `/admin/accounts?page=${target}${options.search ? `&search=${encodeURIComponent(options.search)}` : ''}`;
  return frame(
    'Accounts',
    options,
    html`<h1>Accounts</h1>
<div class="card"><h2 style="margin-top:0">New account</h2>
<form method="post" action="/admin/accounts" class="grid">
<input type="hidden" name="_csrf" value="${options.csrfToken}">
<div><label for="new-email">Email</label><input id="new-email" name="email" type="email" required></div>
<div><label for="new-name">Full name</label><input id="new-name" name="full_name" type="text" required></div>
<div><label for="new-role">Role</label><select id="new-role" name="role">${roleOptions('worker')}</select></div>
<div><label for="new-password">Password</label><input id="new-password" name="password" type="password" required minlength="10"></div>
<div><button type="submit">Create account</button></div>
</form></div>
<form class="toolbar" method="get" action="/admin/accounts"><div><label for="search">Search</label><input id="search" name="search" type="search" value="${options.search}"></div><button class="secondary" type="submit">Search</button></form>
<div class="table-wrap"><table><thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th><th>Change</th></tr></thead><tbody>
${options.accounts.map(
  (
    account,
  ) => html`<tr data-testid="account-row" data-email="${account.email}"><td>${account.fullName}</td><td>${account.email}</td><td>${account.role}</td>
<td><span class="pill ${account.active ? 'done' : 'open'}">${account.active ? 'active' : 'disabled'}</span></td>
<td><form class="inline" method="post" action="/admin/accounts/${account.id}"><input type="hidden" name="_csrf" value="${options.csrfToken}">
<label class="hide-narrow" for="role-${account.id}" style="display:inline;font-weight:400">Role</label>
<select id="role-${account.id}" name="role" aria-label="Role of ${account.email}">${roleOptions(account.role)}</select>
<select name="active" aria-label="Status of ${account.email}"><option value="true" ${account.active ? html`selected` : ''}>active</option><option value="false" ${account.active ? '' : html`selected`}>disabled</option></select>
<button type="submit" class="secondary">Save</button></form></td></tr>`,
)}
</tbody></table></div>
<div class="pager">${options.page > 1 ? html`<a href="${link(options.page - 1)}">← Previous</a>` : ''}<span class="muted">Page ${options.page} of ${pages} · ${options.total} accounts</span>${options.page < pages ? html`<a href="${link(options.page + 1)}">Next →</a>` : ''}</div>`,
  );
}

export function myAccountPage(options: Frame & { account: Account }): string {
  return frame(
    'My account',
    options,
    html`<h1>My account</h1>
<div class="card"><p><strong>${options.account.fullName}</strong> · ${options.account.email} · <span class="pill">${options.account.role}</span></p></div>
<div class="card"><h2 style="margin-top:0">Second factor and password</h2>
<form method="post" action="/account"><input type="hidden" name="_csrf" value="${options.csrfToken}">
${beakPicker('beak', options.account.beakShape, { allowNone: true, noneLabel: 'No beak check' })}
<label for="password">New password (leave empty to keep)</label><input id="password" name="password" type="password" minlength="10" autocomplete="new-password">
<label for="current_password">Current password</label><input id="current_password" name="current_password" type="password" autocomplete="current-password">
<p class="muted">A new password ends every session you have, on every dashboard: sign in again afterwards.</p>
<p><button type="submit">Save</button></p></form></div>`,
  );
}
