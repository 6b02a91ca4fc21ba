import { publicUrl, type ServiceName } from '../config/index.ts';
import { html, type SafeHtml, trusted } from './html.ts';
import { readOnlyBannerSlot } from './readOnlyMode.ts';

export interface PageUser {
  name: string;
  role: string;
}

export interface PageOptions {
  title: string;
  service: ServiceName;
  user?: PageUser | undefined;
  body: SafeHtml;
  /** Shown above the content: a banner for read-only mode, a message after an action. */
  notice?: { kind: 'info' | 'error' | 'warning'; text: string } | undefined;
  csrfToken?: string | undefined;
}

const navigation: { service: ServiceName; label: string; path: string }[] = [
  { service: 'tasks', label: 'Tasks', path: '/' },
  { service: 'accounting', label: 'Accounting', path: '/' },
  { service: 'analytics', label: 'Analytics', path: '/' },
  { service: 'auth', label: 'Accounts', path: '/admin/accounts' },
  { service: 'notifications', label: 'Mailbox', path: '/' },
];

const styles = `
:root{--ink:#1d2330;--muted:#5b6473;--line:#dfe3ea;--bg:#f6f7fb;--card:#fff;--brand:#2f6f4f;--brand-ink:#fff;--bad:#b3261e;--warn:#8a5a00}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--brand);color:var(--brand-ink)}header .bar{max-width:1100px;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
header .logo{font-weight:700;margin-right:.6rem;white-space:nowrap}header nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem;flex:1}
header a{color:var(--brand-ink);text-decoration:none;opacity:.85}header a:hover,header a[aria-current]{opacity:1;text-decoration:underline}
header .who{display:flex;gap:.6rem;align-items:center;font-size:.9rem}header .role{background:rgba(255,255,255,.18);padding:.05rem .5rem;border-radius:1rem}
main{max-width:1100px;margin:1.2rem auto;padding:0 1rem}h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.2rem;margin-bottom:1rem}
table{width:100%;border-collapse:collapse;background:var(--card)}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:10px}
form.inline{display:inline}label{display:block;font-weight:600;margin:.6rem 0 .2rem}
input[type=text],input[type=email],input[type=password],input[type=date],input[type=search],select,textarea{width:100%;max-width:32rem;padding:.5rem .6rem;border:1px solid #c5ccd6;border-radius:6px;font:inherit;background:#fff}
textarea{min-height:5rem}button,.button{display:inline-block;background:var(--brand);color:#fff;border:0;border-radius:6px;padding:.5rem 1rem;font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
button.secondary{background:#e8ecf2;color:var(--ink)}button.danger{background:var(--bad)}button:disabled{opacity:.5;cursor:not-allowed}
.notice{border-radius:8px;padding:.6rem .9rem;margin-bottom:1rem;border:1px solid}.notice.info{background:#eef6f1;border-color:#b9dcc8}
.notice.error{background:#fbeceb;border-color:#f0b8b4;color:var(--bad)}.notice.warning{background:#fff6e0;border-color:#f0d38a;color:var(--warn)}
.muted{color:var(--muted)}.pill{display:inline-block;padding:.05rem .55rem;border-radius:1rem;font-size:.8rem;background:#e8ecf2}
.pill.done{background:#dff0e6;color:#1e5a3a}.pill.open{background:#fff1d6;color:#7a5200}.neg{color:var(--bad)}.pos{color:#1e5a3a}
.grid{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr))}.figure{font-size:1.6rem;font-weight:700}
.toolbar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.8rem}.toolbar label{margin:0}
.pager{display:flex;gap:.8rem;align-items:center;margin:.8rem 0}
@media (max-width:600px){header .who{width:100%}th,td{padding:.4rem}.hide-narrow{display:none}}
`;

// A parrot's head, drawn rather than an emoji, so it shows without emoji fonts.
const logo =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" style="vertical-align:-4px"><circle cx="11" cy="11" r="8" fill="#9be28a"/><path d="M15 8c5 0 7 3 6 7-2-2-4-2-6-1z" fill="#f2a93b"/><circle cx="12" cy="9" r="1.6" fill="#1d2330"/></svg>';

/** The frame every dashboard shares: one header with the same navigation and who is signed in. */
export function page(options: PageOptions): string {
  const { user } = options;
  return `<!doctype html>${html`<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${options.title} · aTES</title>${options.csrfToken ? html`<meta name="csrf-token" content="${options.csrfToken}">` : ''}
<style>${trusted(styles)}</style></head>
<body>
<header><div class="bar"><span class="logo">${trusted(logo)} aTES</span>
<nav aria-label="Dashboards">${navigation.map(
    (item) =>
      html`<a href="${publicUrl(item.service)}${item.path}" ${item.service === options.service ? html`aria-current="page"` : ''}>${item.label}</a>`,
  )}</nav>
${user ? html`<div class="who"><span data-testid="current-user">${user.name}</span><span class="role" data-testid="current-role">${user.role}</span><form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${options.csrfToken ?? ''}"><button class="secondary" type="submit">Sign out</button></form></div>` : ''}
</div></header>
<main>
${trusted(readOnlyBannerSlot)}${options.notice ? html`<div class="notice ${options.notice.kind}" role="status">${options.notice.text}</div>` : ''}
${options.body}
</main>
</body></html>`}`;
}
