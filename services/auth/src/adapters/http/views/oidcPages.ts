import { html, page, trusted } from '@ates/platform/views';

/** `form` is oidc-provider's own hidden form (it carries its anti-forgery token). */
export function confirmSignOutPage(form: string): string {
  return page({
    title: 'Sign out',
    service: 'auth',
    body: html`<div class="card narrow"><h1>Sign out of aTES?</h1>
<p>You will be signed out of every aTES dashboard.</p>${trusted(form)}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Only this dashboard</button></div>`,
  });
}

export function signedOutPage(): string {
  return page({
    title: 'Signed out',
    service: 'auth',
    body: html`<div class="card"><h1>You are signed out</h1><p><a href="/">Sign in again</a></p></div>`,
  });
}

export function oidcErrorPage(out: { error: string; error_description?: string }): string {
  return page({
    title: 'Sign-in problem',
    service: 'auth',
    notice: { kind: 'error', text: out.error_description ?? out.error },
    body: html`<div class="card"><h1>The sign-in could not go on</h1><p class="muted">${out.error}</p><p>Go back to the dashboard you came from and sign in again.</p></div>`,
  });
}

/** Where a person types the code the command line shows (`ates login`). `form` is oidc-provider's. */
export function deviceCodeInputPage(form: string, wrongCode: boolean): string {
  return page({
    title: 'Sign in the command line',
    service: 'auth',
    ...(wrongCode
      ? {
          notice: {
            kind: 'error' as const,
            text: 'That code is not right, or it has expired: check the terminal and try again.',
          },
        }
      : {}),
    body: html`<div class="card narrow"><h1>Sign in the aTES command line</h1>
<p>Type the code your terminal shows.</p>${trusted(form)}
<button type="submit" form="op.deviceInputForm">Continue</button></div>`,
  });
}

/** The person checks the code matches their terminal before the command line gets their rights. */
export function deviceCodeConfirmPage(form: string, userCode: string): string {
  return page({
    title: 'Confirm the command line',
    service: 'auth',
    body: html`<div class="card narrow"><h1>Let the command line act as you?</h1>
<p>Your terminal should show <strong data-testid="user-code">${userCode}</strong>. If it does not, or you did not run <code>ates login</code>, abort.</p>${trusted(form)}
<button type="submit" form="op.deviceConfirmForm">Yes, sign it in</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" class="secondary">Abort</button></div>`,
  });
}

export function deviceSignedInPage(): string {
  return page({
    title: 'Command line signed in',
    service: 'auth',
    body: html`<div class="card"><h1>The command line is signed in</h1><p>You can close this window and go back to your terminal.</p></div>`,
  });
}
