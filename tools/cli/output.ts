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
