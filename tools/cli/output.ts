import { SingleBar } from 'cli-progress';

export interface Column<Row> {
  title: string;
  value: (row: Row) => string;
  right?: boolean;
}

/** Rows as aligned columns under a header; `empty` is said instead of an empty table. */
export function printTable<Row>(rows: readonly Row[], columns: Column<Row>[], empty: string): void {
  if (rows.length === 0) {
    console.log(empty);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...cells.map((line) => line[index]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => (columns[index]!.right ? value.padStart(widths[index]!) : value.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  console.log(line(columns.map((column) => column.title)));
  for (const values of cells) console.log(line(values));
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** A progress bar on a terminal (on stderr, so output can still be piped); nothing otherwise. */
export function progressBar(label: string, total: number): { tick(): void; stop(): void } {
  if (!process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label.padEnd(12)} [{bar}] {value}/{total}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}
