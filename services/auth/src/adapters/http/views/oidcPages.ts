import { html, page, trusted } from '@ates/platform/http';

/** `form` is oidc-provider's own hidden form (it carries its anti-forgery token). */
export function confirmSignOutPage(form: string): string {
  return page({
    title: 'Sign out',
    service: 'auth',
    body: html`<div class="card" style="max-width:36rem"><h1>Sign out of aTES?</h1>
<p>You will be signed out of every aTES dashboard.</p>${trusted(form)}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Only this dashboard</button></div>`,
  });
}

export function signedOutPage(): string {
  return page({ title: 'Signed out', service: 'auth', body: html`<div class="card"><h1>You are signed out</h1><p><a href="/">Sign in again</a></p></div>` });
}

export function oidcErrorPage(out: { error: string; error_description?: string }): string {
  return page({
    title: 'Sign-in problem',
    service: 'auth',
    notice: { kind: 'error', text: out.error_description ?? out.error },
    body: html`<div class="card"><h1>The sign-in could not go on</h1><p class="muted">${out.error}</p><p>Go back to the dashboard you came from and sign in again.</p></div>`,
  });
}
