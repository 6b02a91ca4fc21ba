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
const top = 12;
const bottom = 34;
const axisWidth = 72;
const barWidth = 24;
/** At most this many bar labels; the others stay in each bar's tooltip. */
const maxLabels = 10;

/**
 * A bar chart drawn on the server as SVG at its natural size, so labels stay 12 px on a
 * phone. The value axis (round ticks) stays put; the bars scroll sideways when they are
 * wider than the screen, starting at the right end: the latest first.
 */
export function barChart(points: readonly ChartPoint[], options: ChartOptions): SafeHtml {
  const width = Math.max(1, points.length) * barWidth + 8;
  const values = points.map((point) => point.value);
  const y = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(0, ...values)])
    .range([height - bottom, top])
    .nice(4);
  const ticks = y.ticks(4);
  const labelEvery = Math.ceil(points.length / maxLabels);
  const zero = y(0);
  const at = (tick: number) => y(tick).toFixed(1);
  const bars = points.map((point, index) => {
    const x = index * barWidth;
    const barTop = Math.min(y(point.value), zero);
    const size = point.value === 0 ? 0 : Math.max(1, Math.abs(y(point.value) - zero));
    // Counted from the end, so the latest bar (today) always has its label.
    const labelled = (points.length - 1 - index) % labelEvery === 0;
    return html`<g><title>${point.label}: ${options.format(point.value)}</title>
<rect class="${point.value >= 0 ? 'up' : 'down'}" x="${x + 3}" y="${barTop.toFixed(1)}" width="${barWidth - 6}" height="${size.toFixed(1)}" data-value="${point.value}"/>
${labelled ? html`<text x="${x + barWidth / 2}" y="${height - bottom + 18}" text-anchor="middle">${point.label}</text>` : ''}</g>`;
  });
  const grid = ticks.map(
    (tick) =>
      html`<line class="${tick === 0 ? 'zero' : 'grid-line'}" x1="0" x2="${width}" y1="${at(tick)}" y2="${at(tick)}"/>`,
  );
  const labels = ticks.map(
    (tick) =>
      html`<text x="${axisWidth - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" data-tick="${tick}">${options.format(tick)}</text>`,
  );
  return html`<figure class="chart" role="img" aria-label="${options.title}"><div class="chart-body">
<svg class="chart-axis" viewBox="0 0 ${axisWidth} ${height}" width="${axisWidth}" height="${height}" aria-hidden="true">${labels}</svg>
<div class="chart-scroll"><svg class="chart-plot" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true">${grid}${bars}</svg></div>
</div><figcaption class="muted">${options.title}</figcaption></figure>`;
}
