import type { BenchRow } from './report.ts';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const figure = (value: number, unit: string) =>
  `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2)} ${unit}`;

/** The number in a target such as "< 50 ms" or "≥ 3 000 req/s", when it is in the row's unit. */
function targetValue(row: BenchRow): number | undefined {
  const match = /^[<>≤≥]\s*([\d\s,.]+)\s*(.*)$/.exec(row.target ?? '');
  if (!match || match[2]!.trim() !== row.unit) return undefined;
  return Number(match[1]!.replace(/[\s,]/g, ''));
}

/**
 * One SVG per benchmark: each measured figure as a bar next to its raw baseline from the
 * same run (grey) and its target (a red mark), all on one scale per row.
 */
export function renderChart(title: string, rows: readonly BenchRow[]): string {
  const rowHeight = 46;
  const labelWidth = 480;
  const barWidth = 340;
  const width = labelWidth + barWidth + 280;
  const height = 40 + rows.length * rowHeight;
  const bars = rows.map((row, index) => {
    const y = 36 + index * rowHeight;
    const target = targetValue(row);
    const largest = Math.max(row.value, row.baseline ?? 0, target ?? 0) || 1;
    const at = (value: number) => ((value / largest) * barWidth).toFixed(1);
    const label = `${row.benchmark}${row.adapter ? ` [${row.adapter}]` : ''}: ${row.measure}`;
    const parts = [
      `<text x="8" y="${y + 16}" font-size="12" fill="#1d2330">${escapeXml(label.length > 74 ? `${label.slice(0, 73)}…` : label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${at(row.value)}" height="14" fill="#2f6f4f"/>`,
      `<text x="${labelWidth + barWidth + 8}" y="${y + 16}" font-size="12" fill="#1d2330">${escapeXml(figure(row.value, row.unit))}${row.target ? ` (target ${escapeXml(row.target)})` : ''}</text>`,
    ];
    if (row.baseline !== undefined) {
      parts.push(
        `<rect x="${labelWidth}" y="${y + 20}" width="${at(row.baseline)}" height="12" fill="#b8c2d0"/>`,
        `<text x="${labelWidth + barWidth + 8}" y="${y + 30}" font-size="11" fill="#5b6473">${escapeXml(figure(row.baseline, row.unit))} ${escapeXml(row.baselineName ?? 'raw')}</text>`,
      );
    }
    if (target !== undefined)
      parts.push(
        `<rect x="${Number(labelWidth) + Number(at(target)) - 1}" y="${y}" width="2" height="34" fill="#b3261e"/>`,
      );
    return parts.join('\n');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="22" font-size="15" font-weight="700" fill="#1d2330">aTES benchmark: ${escapeXml(title)} — green: aTES · grey: raw baseline, same run · red: target</text>
${bars.join('\n')}
</svg>
`;
}
