import type { ServiceName } from '../config/index.ts';
import { csrfField } from './csrfField.ts';
import { html, type SafeHtml } from './html.ts';
import { page, type ViewContext } from './page.ts';

export interface Confirmation {
  service: ServiceName;
  title: string;
  /** What will happen, in the words of the person who asked for it. */
  question: string;
  consequences: SafeHtml;
  /** The form that does it: only this page posts there. */
  action: string;
  fields?: Record<string, string>;
  confirmLabel: string;
  cancelHref: string;
}

/**
 * The step before something that cannot be undone. A page rather than a script dialog: the
 * pages' policy allows no scripts, and a page also works without one.
 */
export function confirmPage(context: ViewContext, confirmation: Confirmation): string {
  return page({
    ...context,
    title: confirmation.title,
    service: confirmation.service,
    body: html`<div class="card narrow" data-testid="confirm"><h1>${confirmation.question}</h1>${confirmation.consequences}
<form method="post" action="${confirmation.action}">${csrfField(context.csrfToken)}${Object.entries(
      confirmation.fields ?? {},
    ).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="actions"><button type="submit" class="danger">${confirmation.confirmLabel}</button>
<a class="button secondary" href="${confirmation.cancelHref}">Cancel</a></div></form></div>`,
  });
}
