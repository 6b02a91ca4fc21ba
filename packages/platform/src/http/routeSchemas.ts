import { Type } from '@sinclair/typebox';

/**
 * Pieces of route schemas every service uses. Query strings arrive as text (or, when a
 * name repeats, as a list): the schemas say exactly which text is meant, so a value the
 * database could not take is a 400 with the field's name before any handler runs.
 */
export const PageNumber = Type.String({
  pattern: '^([1-9][0-9]{0,5})?$',
  description: 'Page, from 1 (at most 999999)',
});
export const SearchText = Type.String({ maxLength: 100, description: 'Part of a name, email or title' });
export const DayText = Type.String({ pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$', description: 'A day, YYYY-MM-DD' });
export const Id = Type.String({ format: 'uuid' });

export const ListQuery = Type.Object({ page: Type.Optional(PageNumber), search: Type.Optional(SearchText) });
export const DayQuery = Type.Object({ day: Type.Optional(DayText) });
export const RangeQuery = Type.Object({
  day: Type.Optional(DayText),
  from: Type.Optional(DayText),
  to: Type.Optional(DayText),
});
export const IdParams = Type.Object({ id: Id });

/** The page number of a validated query, 1 when absent. */
export function pageOf(query: { page?: string }): number {
  return query.page ? Number(query.page) : 1;
}

/** A notice flag a page was redirected with (`?done=created`): short text, nothing else. */
export const NoticeText = Type.String({ maxLength: 40 });
