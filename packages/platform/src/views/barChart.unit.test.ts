import { describe, expect, it } from 'vitest';
import { barChart } from './barChart.ts';

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const days = (values: number[]) =>
  values.map((value, index) => ({ label: `01-${String(index + 1).padStart(2, '0')}`, value }));
const ticksOf = (svg: string) => [...svg.matchAll(/data-tick="(-?\d+)"/g)].map((match) => Number(match[1]));

describe('the server-drawn bar chart', () => {
  it('labels the value axis with round ticks, not only the maximum and zero', () => {
    expect(ticksOf(String(barChart(days([1234, 8_765, 4_321]), { title: 'Earnings', format: dollars })))).toEqual([
      0, 2000, 4000, 6000, 8000, 10000,
    ]);
  });

  it('ticks below zero when a day lost money', () => {
    expect(ticksOf(String(barChart(days([-3_000, 5_000]), { title: 'Earnings', format: dollars })))).toContain(-2000);
  });

  it('draws at its natural size, so labels keep their size on a phone', () => {
    expect(String(barChart(days([1, 2]), { title: 'Earnings', format: dollars }))).toMatch(
      /<svg[^>]* width="\d+" height="240"/,
    );
  });

  it('labels at most ten bars of a month, the latest among them', () => {
    const svg = String(
      barChart(days(Array.from({ length: 30 }, (_, index) => index * 100)), { title: 'E', format: dollars }),
    );
    expect(svg.match(/text-anchor="middle"/g)).toHaveLength(10);
  });

  it('escapes the labels', () => {
    expect(String(barChart([{ label: '<b>', value: 1 }], { title: 'E', format: dollars }))).not.toContain('<b>');
  });
});
