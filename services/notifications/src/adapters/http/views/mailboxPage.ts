import type { AuthenticatedUser } from '@ates/platform/auth';
import { html, page } from '@ates/platform/http';
import type { ReceivedMail } from '../../db/mailbox.ts';

export function mailboxPage(options: {
  user: AuthenticatedUser;
  csrfToken: string;
  mails: ReceivedMail[];
  total: number;
  everyone: boolean;
  sinkRunning: boolean;
}): string {
  return page({
    title: 'Mailbox',
    service: 'notifications',
    user: { name: options.user.name, role: options.user.role },
    csrfToken: options.csrfToken,
    notice: options.sinkRunning
      ? undefined
      : {
          kind: 'info',
          text: 'Emails go to a real SMTP server (SMTP_URL); this mailbox only shows what the built-in sink received.',
        },
    body: html`<h1>Mailbox</h1><p class="muted">${options.everyone ? 'Every email aTES sent' : `Emails sent to ${options.user.email}`} · ${options.total} in all</p>
${options.mails.length === 0 ? html`<p class="muted" data-testid="mailbox-empty">No emails yet.</p>` : ''}
${options.mails.map(
  (
    mail,
  ) => html`<article class="card" data-testid="mail"><div class="muted">${mail.receivedAt.toISOString().replace('T', ' ').slice(0, 19)} · to ${mail.recipients.join(', ')}</div>
<h2 style="margin:.3rem 0">${mail.subject}</h2><pre style="white-space:pre-wrap;font:inherit;margin:0">${mail.body}</pre></article>`,
)}`,
  });
}
