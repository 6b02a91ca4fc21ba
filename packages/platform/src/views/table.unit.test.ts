import { describe, expect, it } from 'vitest';
import { html } from './html.ts';
import { table } from './table.ts';

const rows = [{ name: 'Kesha <the> parrot', cents: 1200 }];
const columns = [
  { label: 'Name', cell: (row: (typeof rows)[number]) => row.name },
  { label: 'Balance', numeric: true, cell: (row: (typeof rows)[number]) => html`<b>${row.cents}</b>` },
];

describe('the table kit', () => {
  it('labels every cell with its column, for the card layout on phones', () => {
    expect(String(table({ rows, columns, empty: 'None' }))).toContain('<td data-label="Name">');
  });

  it('aligns numeric columns right', () => {
    expect(String(table({ rows, columns, empty: 'None' }))).toContain(
      '<td class="num" data-label="Balance"><b>1200</b>',
    );
  });

  it('escapes what cells return as text', () => {
    expect(String(table({ rows, columns, empty: 'None' }))).toContain('Kesha &lt;the&gt; parrot');
  });

  it('says so instead of drawing an empty table', () => {
    expect(String(table({ rows: [], columns, empty: 'No popugs yet.', testid: 'popugs' }))).toBe(
      '<p class="muted" data-testid="popugs-empty">No popugs yet.</p>',
    );
  });
});
