import type { ServiceName } from '../config/index.ts';
import { html, type SafeHtml } from './html.ts';
import { page } from './page.ts';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

/** The part of an OpenAPI document the docs page reads. */
export interface ApiDocument {
  info: { title: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];

function operation(path: string, method: string, described: Operation): SafeHtml {
  const body = Object.values(described.requestBody?.content ?? {})[0]?.schema;
  return html`<section class="card" data-testid="operation" id="${method}-${path}">
<h2><code>${method.toUpperCase()} ${path}</code></h2>${described.summary ? html`<p>${described.summary}</p>` : ''}
${
  described.parameters?.length
    ? html`<table><thead><tr><th>Parameter</th><th>In</th><th>Schema</th></tr></thead><tbody>${described.parameters.map(
        (parameter) =>
          html`<tr><td><code>${parameter.name}</code>${parameter.required ? ' (required)' : ''}</td><td>${parameter.in}</td>
<td><code>${JSON.stringify(parameter.schema ?? {})}</code>${parameter.description ? html` — ${parameter.description}` : ''}</td></tr>`,
      )}</tbody></table>`
    : ''
}
${body ? html`<p class="muted">Body</p><pre class="schema">${JSON.stringify(body, null, 2)}</pre>` : ''}</section>`;
}

/** The API of one service, for people: every operation of its OpenAPI document, on one page. */
export function apiDocsPage(service: ServiceName, document: ApiDocument): string {
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods.filter((method) => item[method]).map((method) => operation(path, method, item[method]!)),
  );
  return page({
    title: `${document.info.title} API`,
    service,
    body: html`<h1>${document.info.title} API</h1><p>${document.info.description ?? ''}</p>
<p class="muted">Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Send an access token from
the SSO as <code>Authorization: Bearer …</code>; errors come back as <code>{ statusCode, error, message }</code>.</p>
${operations}`,
  });
}
