import { html, type SafeHtml } from './html.ts';

export interface PagerOptions {
  page: number;
  pageSize: number;
  total: number;
  /** What is being counted, plural: "tasks", "accounts", "emails". */
  noun: string;
  /** The path of the list, and the filters to keep when turning pages. */
  path: string;
  keep?: Record<string, string | undefined>;
}

/** The same pager under every list: where you are, how many there are, and the way on. */
export function pager(options: PagerOptions): SafeHtml {
  const pages = Math.max(1, Math.ceil(options.total / options.pageSize));
  const link = (target: number) => {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(options.keep ?? {})) if (value) query.set(name, value);
    query.set('page', String(target));
    return `${options.path}?${query}`;
  };
  return html`<nav class="pager" aria-label="Pages">${options.page > 1 ? html`<a href="${link(options.page - 1)}" rel="prev">← Previous</a>` : ''}
<span class="muted" data-testid="pager">Page ${options.page} of ${pages} · ${options.total} ${options.noun}</span>
${options.page < pages ? html`<a href="${link(options.page + 1)}" rel="next">Next →</a>` : ''}</nav>`;
}
