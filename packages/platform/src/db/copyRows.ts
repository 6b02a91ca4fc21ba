import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from './pool.ts';

export type CopyValue = string | number | null;

/** COPY's text format: tab-separated, `\N` for null, and backslash escapes for what would break a line. */
const needsEscape = /[\\\t\n\r]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeValue = (value: string) => value.replace(/[\\\t\n\r]/g, (character) => escapes[character]!);

const chunkBytes = 256 * 1024;

const copyText = (value: CopyValue | undefined) =>
  value === null || value === undefined
    ? '\\N'
    : typeof value === 'number'
      ? String(value)
      : needsEscape.test(value)
        ? escapeValue(value)
        : value;

/**
 * The rows in COPY's text format, a line at a time into buffers. Joined into one string,
 * the lines were a tree of cons strings that V8 flattened and then copied again (a tenth
 * of the ledger's Node CPU); written a value at a time, the calls cost half as much again
 * as a line's (1.6 against 1.0 µs a journal line).
 */
function copyChunks(rows: readonly (readonly CopyValue[])[]): Buffer[] {
  const chunks: Buffer[] = [];
  let chunk = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  for (const row of rows) {
    let line = copyText(row[0]);
    for (let index = 1; index < row.length; index += 1) line += `\t${copyText(row[index])}`;
    line += '\n';
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (used + line.length * 3 > chunk.length) {
      chunks.push(chunk.subarray(0, used));
      chunk = Buffer.allocUnsafe(Math.max(chunkBytes, line.length * 3));
      used = 0;
    }
    used += chunk.write(line, used);
  }
  chunks.push(chunk.subarray(0, used));
  return chunks;
}

/**
 * Appends rows to a table with COPY, in the caller's transaction. For a batch of
 * thousands of rows COPY is about half the server's work of an INSERT reading the same
 * rows from a JSON document (the ledger's journal: 40 → 20 µs a line), which parses
 * every field twice. Statement triggers fire as for an INSERT; a row that breaks a
 * constraint fails the whole COPY with the same error.
 */
export async function copyRows(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const copy = tx.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(rows)), copy);
}
