import { scaleLinear } from 'd3-scale';
import { html, type SafeHtml } from './html.ts';

export interface ChartPoint {
  label: string;
  value: number;
}

export interface ChartOptions {
  title: string;
  format: (value: number) => string;
}

const height = 240;
const margin = { top: 12, right: 8, bottom: 34, left: 72 };
const barWidth = 24;
/** At most this many bar labels; the others stay in each bar's tooltip. */
const maxLabels = 10;

/**
 * A bar chart drawn on the server as SVG at its natural size: labels stay 12 px on a phone
 * (the chart scrolls sideways instead of shrinking), and the value axis has round ticks.
 */
export function barChart(points: readonly ChartPoint[], options: ChartOptions): SafeHtml {
  const width = margin.left + margin.right + Math.max(1, points.length) * barWidth;
  const values = points.map((point) => point.value);
  const y = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(0, ...values)])
    .range([height - margin.bottom, margin.top])
    .nice(4);
  const ticks = y.ticks(4);
  const labelEvery = Math.ceil(points.length / maxLabels);
  const zero = y(0);
  const bars = points.map((point, index) => {
    const x = margin.left + index * barWidth;
    const top = Math.min(y(point.value), zero);
    const size = point.value === 0 ? 0 : Math.max(1, Math.abs(y(point.value) - zero));
    // Counted from the end, so the latest bar (today) always has its label.
    const labelled = (points.length - 1 - index) % labelEvery === 0;
    return html`<g><title>${point.label}: ${options.format(point.value)}</title>
<rect class="${point.value >= 0 ? 'up' : 'down'}" x="${x + 3}" y="${top.toFixed(1)}" width="${barWidth - 6}" height="${size.toFixed(1)}" data-value="${point.value}"/>
${labelled ? html`<text x="${x + barWidth / 2}" y="${height - margin.bottom + 18}" text-anchor="middle">${point.label}</text>` : ''}</g>`;
  });
  const axis = ticks.map(
    (
      tick,
    ) => html`<line class="${tick === 0 ? 'zero' : 'grid-line'}" x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}"/>
<text x="${margin.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" data-tick="${tick}">${options.format(tick)}</text>`,
  );
  return html`<figure class="chart"><svg role="img" aria-label="${options.title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
${axis}${bars}</svg><figcaption class="muted">${options.title}</figcaption></figure>`;
}
