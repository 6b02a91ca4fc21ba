import { html, type SafeHtml } from './html.ts';

/** The hidden field every form that changes something posts: the CSRF check reads `_csrf`. */
export function csrfField(token: string | undefined): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token ?? ''}">`;
}
