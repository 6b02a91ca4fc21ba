import { publicUrl, type ServiceName } from '../config/index.ts';
import type { Role } from '../roles/index.ts';
import { favicon, stylesheet } from './assets.ts';
import { csrfField } from './csrfField.ts';
import { html, type SafeHtml, trusted } from './html.ts';
import { dashboardsFor } from './navigation.ts';

export interface PageUser {
  name: string;
  role: Role;
}

/** A line above the content: the outcome of an action, or why it could not be done. */
export interface Notice {
  kind: 'info' | 'error' | 'warning';
  text: string;
}

/** What every page of a signed-in person carries: who they are, their form token, a notice. */
export interface ViewContext {
  user?: PageUser | undefined;
  csrfToken?: string | undefined;
  notice?: Notice | undefined;
}

export interface PageOptions extends ViewContext {
  title: string;
  service: ServiceName;
  body: SafeHtml;
}

/** Where the frame leaves room for the read-only banner (see http/readOnlyMode.ts). */
export const readOnlyBannerSlot = '<!--ates:read-only-banner-->';

// A parrot's head, drawn rather than an emoji, so it shows without emoji fonts.
const logo = trusted(
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><circle cx="11" cy="11" r="8" fill="#9be28a"/>' +
    '<path d="M15 8c5 0 7 3 6 7-2-2-4-2-6-1z" fill="#f2a93b"/><circle cx="12" cy="9" r="1.6" fill="#1d2330"/></svg>',
);

function signedIn(user: PageUser, csrfToken: string | undefined): SafeHtml {
  return html`<div class="who"><span data-testid="current-user">${user.name}</span>
<span class="role" data-testid="current-role">${user.role}</span>
<form class="inline" method="post" action="/logout">${csrfField(csrfToken)}<button class="secondary" type="submit">Sign out</button></form></div>`;
}

/** The frame every dashboard shares: one header with the dashboards the role may use and who is signed in. */
export function page(options: PageOptions): string {
  const { user, notice } = options;
  const navigation = dashboardsFor(user?.role).map(
    (item) =>
      html`<a href="${publicUrl(item.service)}${item.path}" ${item.service === options.service ? html`aria-current="page"` : ''}>${item.label}</a>`,
  );
  return `<!doctype html>${html`<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.title} · aTES</title>
<link rel="stylesheet" href="${stylesheet.path}"><link rel="icon" type="image/svg+xml" href="${favicon.path}">
</head>
<body>
<header><div class="bar"><span class="logo">${logo} aTES</span>
<nav aria-label="Dashboards">${navigation}</nav>
${user ? signedIn(user, options.csrfToken) : ''}
</div></header>
<main>
${trusted(readOnlyBannerSlot)}${notice ? html`<div class="notice ${notice.kind}" role="status">${notice.text}</div>` : ''}
${options.body}
</main>
<footer><a href="/docs">API of this service</a></footer>
</body></html>`}`;
}
