import { describe, expect, it } from 'vitest';
import { pager } from './pager.ts';

const at = (page: number, total = 120) =>
  String(pager({ page, pageSize: 50, total, noun: 'tasks', path: '/', keep: { status: 'open', search: '' } }));

describe('the pager under every list', () => {
  it('says where you are and how many there are', () => {
    expect(at(2)).toContain('Page 2 of 3 · 120 tasks');
  });

  it('keeps the filters when turning pages, leaving out empty ones', () => {
    expect(at(2)).toContain('href="/?status=open&amp;page=3" rel="next"');
  });

  it('offers no way back from the first page', () => {
    expect(at(1)).not.toContain('rel="prev"');
  });

  it('offers no way on from the last page', () => {
    expect(at(3)).not.toContain('rel="next"');
  });

  it('counts an empty list as one page', () => {
    expect(at(1, 0)).toContain('Page 1 of 1 · 0 tasks');
  });
});
