import { publicUrl, type ServiceName } from '../config/index.ts';
import { html } from './html.ts';
import { page, type ViewContext } from './page.ts';

const headlines: Record<number, string> = {
  400: 'That request could not be understood',
  401: 'Sign in first',
  403: 'Not for your role',
  404: 'Nothing here',
  409: 'That clashes with what is already there',
  413: 'That is too large',
  429: 'Too many attempts',
  503: 'Not available right now',
};

export interface ErrorDetails {
  status: number;
  message: string;
  requestId: string;
}

/** What a browser is shown when a request fails; programs get the same message as JSON. */
export function errorPage(service: ServiceName, context: ViewContext, error: ErrorDetails): string {
  const headline =
    headlines[error.status] ?? (error.status >= 500 ? 'Something went wrong on our side' : 'That did not work');
  return page({
    ...context,
    title: headline,
    service,
    body: html`<div class="card narrow" data-testid="error-page"><p class="error-code">${error.status}</p><h1>${headline}</h1>
<p data-testid="error-message">${error.message}</p>
<p class="muted">Request id <code data-testid="request-id">${error.requestId}</code>: quote it when you report a problem.</p>
<div class="actions">${
      // This dashboard refused the role: the task board is open to every role.
      error.status === 403
        ? html`<a class="button" href="${publicUrl('tasks')}/">Go to the task board</a>`
        : html`<a class="button" href="/">Back to the dashboard</a>`
    }</div></div>`,
  });
}
