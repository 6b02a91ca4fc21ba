import { escapeHtml, type SafeHtml, trusted } from './html.ts';

export interface ChartPoint {
  label: string;
  value: number;
}

/**
 * A plain SVG bar chart, drawn on the server: bars above the axis for positive values,
 * below for negative, each with its value as a tooltip and a readable label.
 */
export function barChart(
  points: readonly ChartPoint[],
  options: { title: string; format: (value: number) => string; height?: number },
): SafeHtml {
  const height = options.height ?? 220;
  const width = Math.max(320, points.length * 28 + 60);
  const top = 16;
  const bottom = 40;
  const plot = height - top - bottom;
  const max = Math.max(0, ...points.map((p) => p.value));
  const min = Math.min(0, ...points.map((p) => p.value));
  const span = max - min || 1;
  const zeroY = top + (max / span) * plot;
  const step = (width - 60) / Math.max(1, points.length);
  const bars = points
    .map((point, index) => {
      const x = 50 + index * step + step * 0.15;
      const barHeight = (Math.abs(point.value) / span) * plot;
      const y = point.value >= 0 ? zeroY - barHeight : zeroY;
      const label = escapeHtml(point.label);
      const value = escapeHtml(options.format(point.value));
      const showLabel = points.length <= 16 || index % Math.ceil(points.length / 16) === 0;
      return `<g><title>${label}: ${value}</title><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(point.value === 0 ? 0 : Math.max(barHeight, 1)).toFixed(1)}" fill="${point.value >= 0 ? '#2f6f4f' : '#b3261e'}" data-value="${point.value}"/>${
        showLabel
          ? `<text x="${(x + step * 0.35).toFixed(1)}" y="${height - bottom + 16}" font-size="10" text-anchor="middle" fill="#5b6473">${label}</text>`
          : ''
      }</g>`;
    })
    .join('');
  const axis = `<line x1="46" x2="${width - 6}" y1="${zeroY.toFixed(1)}" y2="${zeroY.toFixed(1)}" stroke="#9aa3af"/>
<text x="44" y="${top + 4}" font-size="10" text-anchor="end" fill="#5b6473">${escapeHtml(options.format(max))}</text>
<text x="44" y="${(top + plot).toFixed(1)}" font-size="10" text-anchor="end" fill="#5b6473">${escapeHtml(options.format(min))}</text>`;
  return trusted(
    `<figure class="chart" style="margin:0;overflow-x:auto"><svg role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px;min-width:320px">${axis}${bars}</svg><figcaption class="muted">${escapeHtml(options.title)}</figcaption></figure>`,
  );
}
