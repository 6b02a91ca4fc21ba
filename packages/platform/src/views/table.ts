import { html, type SafeHtml } from './html.ts';

export interface Column<Row> {
  label: string;
  cell: (row: Row) => unknown;
  /** Numbers align right. */
  numeric?: boolean;
  /** Left out on a phone. */
  wide?: boolean;
}

export interface TableOptions<Row> {
  columns: Column<Row>[];
  rows: readonly Row[];
  /** Said instead of an empty table. */
  empty: string;
  testid?: string;
  /** The data-testid and data-* attributes of each row, for tests and links. */
  rowAttributes?: (row: Row) => Record<string, string>;
}

function classOf(column: Column<unknown>): SafeHtml | '' {
  const classes = [column.numeric ? 'num' : '', column.wide ? 'hide-narrow' : ''].filter(Boolean).join(' ');
  return classes ? html` class="${classes}"` : '';
}

function attributes(values: Record<string, string>): SafeHtml {
  return html`${Object.entries(values).map(([name, value]) => html` ${name}="${value}"`)}`;
}

/**
 * A table that turns into one card per row on a phone (each cell labelled by its column),
 * so a row's controls never slide off-screen.
 */
export function table<Row>(options: TableOptions<Row>): SafeHtml {
  if (options.rows.length === 0)
    return html`<p class="muted" data-testid="${options.testid ?? 'table'}-empty">${options.empty}</p>`;
  const columns = options.columns as Column<unknown>[];
  return html`<div class="table-wrap"><table class="cards"${options.testid ? html` data-testid="${options.testid}"` : ''}>
<thead><tr>${columns.map((column) => html`<th${classOf(column)}>${column.label}</th>`)}</tr></thead>
<tbody>${options.rows.map(
    (row) =>
      html`<tr${attributes(options.rowAttributes?.(row) ?? {})}>${columns.map(
        (column) => html`<td${classOf(column)} data-label="${column.label}">${column.cell(row)}</td>`,
      )}</tr>`,
  )}</tbody></table></div>`;
}
