import { csrfField, html, page, pager, type SafeHtml, table, type ViewContext } from '@ates/platform/views';
import { type Account, roles } from '../../../domain/account.ts';
import { beakPicker } from './beakPicker.ts';

const roleOptions = (selected: string) =>
  roles.map((role) => html`<option value="${role}" ${role === selected ? html`selected` : ''}>${role}</option>`);

const statusOptions = (active: boolean) =>
  html`<option value="true" ${active ? html`selected` : ''}>active</option><option value="false" ${active ? '' : html`selected`}>disabled</option>`;

function newAccountForm(csrfToken: string | undefined): SafeHtml {
  return html`<div class="card"><h2>New account</h2>
<form method="post" action="/admin/accounts" class="grid">${csrfField(csrfToken)}
<div><label for="new-email">Email</label><input id="new-email" name="email" type="email" required></div>
<div><label for="new-name">Full name</label><input id="new-name" name="full_name" type="text" required></div>
<div><label for="new-role">Role</label><select id="new-role" name="role">${roleOptions('worker')}</select></div>
<div><label for="new-password">Password</label><input id="new-password" name="password" type="password" required minlength="10"></div>
<div><button type="submit">Create account</button></div>
</form></div>`;
}

function changeForm(account: Account, csrfToken: string | undefined): SafeHtml {
  return html`<form class="inline" method="post" action="/admin/accounts/${account.id}">${csrfField(csrfToken)}
<select id="role-${account.id}" name="role" aria-label="Role of ${account.email}">${roleOptions(account.role)}</select>
<select name="active" aria-label="Status of ${account.email}">${statusOptions(account.active)}</select>
<button type="submit" class="secondary">Save</button></form>`;
}

export interface AccountList {
  accounts: Account[];
  total: number;
  page: number;
  pageSize: number;
  search: string;
}

export function accountsPage(view: ViewContext, list: AccountList): string {
  return page({
    ...view,
    title: 'Accounts',
    service: 'auth',
    body: html`<h1>Accounts</h1>
${newAccountForm(view.csrfToken)}
<form class="toolbar" method="get" action="/admin/accounts"><div><label for="search">Search</label><input id="search" name="search" type="search" value="${list.search}"></div>
<button class="secondary" type="submit">Search</button></form>
${table({
  rows: list.accounts,
  empty: list.search ? `No account matches "${list.search}".` : 'No accounts yet.',
  testid: 'accounts',
  rowAttributes: (account) => ({ 'data-testid': 'account-row', 'data-email': account.email }),
  columns: [
    { label: 'Name', cell: (account) => account.fullName },
    { label: 'Email', cell: (account) => account.email },
    { label: 'Role', wide: true, cell: (account) => account.role },
    {
      label: 'Status',
      cell: (account) =>
        html`<span class="pill ${account.active ? 'done' : 'open'}">${account.active ? 'active' : 'disabled'}</span>`,
    },
    { label: 'Change', cell: (account) => changeForm(account, view.csrfToken) },
  ],
})}
${pager({ ...list, noun: 'accounts', path: '/admin/accounts', keep: { search: list.search } })}`,
  });
}

export function myAccountPage(view: ViewContext, account: Account): string {
  return page({
    ...view,
    title: 'My account',
    service: 'auth',
    body: html`<h1>My account</h1>
<div class="card"><p><strong>${account.fullName}</strong> · ${account.email} · <span class="pill">${account.role}</span></p></div>
<div class="card"><h2>Second factor and password</h2>
<form method="post" action="/account">${csrfField(view.csrfToken)}
${beakPicker('beak', account.beakShape, { allowNone: true, noneLabel: 'No beak check' })}
<label for="password">New password (leave empty to keep)</label><input id="password" name="password" type="password" minlength="10" autocomplete="new-password">
<label for="current_password">Current password</label><input id="current_password" name="current_password" type="password" autocomplete="current-password">
<p class="muted">A new password ends every session you have, on every dashboard: sign in again afterwards.</p>
<div class="actions"><button type="submit">Save</button></div></form></div>`,
  });
}
