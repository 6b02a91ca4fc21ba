import { formatTime, html, page, pager, type ViewContext } from '@ates/platform/views';
import type { ReceivedMail } from '../../db/mailbox.ts';

export interface Mailbox {
  mails: ReceivedMail[];
  total: number;
  page: number;
  pageSize: number;
  everyone: boolean;
  recipient: string;
  sinkRunning: boolean;
  timeZone: string;
}

export function mailboxPage(view: ViewContext, mailbox: Mailbox): string {
  return page({
    ...view,
    title: 'Mailbox',
    service: 'notifications',
    notice: mailbox.sinkRunning
      ? view.notice
      : {
          kind: 'info',
          text: 'Emails go to a real SMTP server (SMTP_URL); this mailbox only shows what the built-in sink received.',
        },
    body: html`<h1>Mailbox</h1><p class="muted">${mailbox.everyone ? 'Every email aTES sent' : `Emails sent to ${mailbox.recipient}`}, newest first</p>
${mailbox.mails.length === 0 ? html`<p class="muted" data-testid="mailbox-empty">No emails yet.</p>` : ''}
${mailbox.mails.map(
  (mail) => html`<article class="card mail" data-testid="mail">
<div class="muted">${formatTime(mail.receivedAt, mailbox.timeZone, true)} · to ${mail.recipients.join(', ')}</div>
<h2>${mail.subject}</h2><pre>${mail.body}</pre></article>`,
)}
${pager({ page: mailbox.page, pageSize: mailbox.pageSize, total: mailbox.total, noun: 'emails', path: '/' })}`,
  });
}
