import { html, page } from '@ates/platform/views';
import { beakPicker } from './beakPicker.ts';

export function loginPage(options: { uid: string; email?: string; error?: string; clientName?: string }): string {
  return page({
    title: 'Sign in',
    service: 'auth',
    notice: options.error ? { kind: 'error', text: options.error } : undefined,
    body: html`<div class="card narrow">
<h1>Sign in to aTES</h1>
<p class="muted">One sign-in for every dashboard${options.clientName ? html` — you are on your way to <strong>${options.clientName}</strong>` : ''}.</p>
<form method="post" action="/interaction/${options.uid}/login" autocomplete="on">
<label for="email">Email</label><input id="email" name="email" type="email" required autofocus value="${options.email ?? ''}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
${beakPicker('beak', null, { allowNone: true, noneLabel: 'None registered' })}
<p class="muted">If you registered your beak shape, pick it: it is your second factor.</p>
<button type="submit">Sign in</button>
</form></div>`,
  });
}
