import { describe, expect, it } from 'vitest';
import { sameOriginPath } from './dashboardAuth.ts';

const base = 'http://127.0.0.1:3001';

describe('where a dashboard sends people back after sign-in', () => {
  it.each([
    ['/my?done=completed', '/my?done=completed'],
    ['/accounts/1#log', '/accounts/1#log'],
  ])('keeps the path %j', (asked, kept) => {
    expect(sameOriginPath(asked, base)).toBe(kept);
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/\\/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '',
    42,
  ])('sends %j home instead of off-site', (asked) => {
    expect(sameOriginPath(asked, base)).toBe('/');
  });

  it('keeps a percent-encoded double slash as a path on this origin', () => {
    expect(sameOriginPath('/%2F%2Fevil.example', base)).toBe('/%2F%2Fevil.example');
  });
});
