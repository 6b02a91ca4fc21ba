import type { BenchRow } from './report.ts';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const figure = (value: number, unit: string) => `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2)} ${unit}`;

/**
 * One SVG per benchmark: each measured figure as a bar next to its raw baseline from the
 * same run, both scaled to the larger of the two, so "how far from the limit" is seen at a glance.
 */
export function renderChart(title: string, rows: readonly BenchRow[]): string {
  const rowHeight = 46;
  const labelWidth = 420;
  const barWidth = 360;
  const width = labelWidth + barWidth + 170;
  const height = 40 + rows.length * rowHeight;
  const bars = rows.map((row, index) => {
    const y = 36 + index * rowHeight;
    const largest = Math.max(row.value, row.baseline ?? 0) || 1;
    const measured = (row.value / largest) * barWidth;
    const label = `${row.benchmark}${row.adapter ? ` [${row.adapter}]` : ''}: ${row.measure}`;
    const baseline =
      row.baseline === undefined
        ? ''
        : `<rect x="${labelWidth}" y="${y + 20}" width="${((row.baseline / largest) * barWidth).toFixed(1)}" height="12" fill="#b8c2d0"/>
<text x="${labelWidth + barWidth + 8}" y="${y + 30}" font-size="11" fill="#5b6473">${escape(figure(row.baseline, row.unit))} raw</text>`;
    return `<text x="8" y="${y + 16}" font-size="12" fill="#1d2330">${escape(label.length > 66 ? `${label.slice(0, 65)}…` : label)}</text>
<rect x="${labelWidth}" y="${y + 4}" width="${measured.toFixed(1)}" height="14" fill="#2f6f4f"/>
<text x="${labelWidth + barWidth + 8}" y="${y + 16}" font-size="12" fill="#1d2330">${escape(figure(row.value, row.unit))}${row.target ? ` (target ${escape(row.target)})` : ''}</text>
${baseline}`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="22" font-size="15" font-weight="700" fill="#1d2330">aTES benchmark: ${escape(title)} (green: aTES, grey: raw baseline, same run)</text>
${bars.join('\n')}
</svg>
`;
}
