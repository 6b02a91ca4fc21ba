import { describe, expect, it } from 'vitest';
import { formatTime } from './formatTime.ts';

const instant = new Date('2026-01-15T13:03:22Z');

describe('times shown to people', () => {
  it('name the zone', () => {
    expect(formatTime(instant, 'UTC')).toBe('13:03:22 UTC');
  });

  it('are the wall-clock time of the business time zone', () => {
    expect(formatTime(instant, 'Europe/Berlin')).toBe('14:03:22 CET');
  });

  it('carry the day when asked', () => {
    expect(formatTime(instant, 'Asia/Tokyo', true)).toBe('2026-01-15 22:03:22 GMT+9');
  });
});
