import { requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { formBody, NoticeText, RangeQuery, sendPage, typed, viewContextOf } from '@ates/platform/http';
import { type BusinessClock, type BusinessDay, readDay, readDayRange } from '@ates/platform/time';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AnalyticsProjection } from '../../app/analyticsProjection.ts';
import { periodsOf } from '../../domain/periods.ts';
import {
  bestOf,
  earnedOn,
  earningsByDay,
  openBusinessDay,
  popugsInTheRed,
  type TopTask,
  topTasksByDay,
} from '../db/figures.ts';
import { analyticsPage, confirmRebuildPage } from './views/analyticsPage.ts';

function publicTop(task: TopTask | undefined) {
  return task
    ? { day: task.day, task_id: task.taskId, reward: task.reward, title: task.title, jira_id: task.jiraId }
    : null;
}

/** Admins only, every route. */
export async function analyticsRoutes(
  app: FastifyInstance,
  options: { readPool: Pool; clock: BusinessClock; projection: AnalyticsProjection },
): Promise<void> {
  const { readPool, clock, projection } = options;
  const api = typed(app);
  app.addHook('preValidation', requireRole('admin'));

  const figures = async (query: { day?: string; from?: string; to?: string }) => {
    const today = await openBusinessDay(readPool, clock.today());
    const day: BusinessDay = readDay(query.day, today);
    const range = readDayRange(query, day, 7);
    const [earnedToday, inTheRed, rangeDays, periods] = await Promise.all([
      earnedOn(readPool, today),
      popugsInTheRed(readPool),
      topTasksByDay(readPool, range.from, range.to),
      Promise.all(
        periodsOf(day).map(async (period) => ({
          period,
          best: bestOf(await topTasksByDay(readPool, period.from, period.to)),
        })),
      ),
    ]);
    return {
      today,
      day,
      earnedToday,
      inTheRed,
      periods,
      range: { ...range, days: rangeDays, best: bestOf(rangeDays) },
    };
  };

  const ranged = (summary: string) => ({ schema: { summary, querystring: RangeQuery } });
  api.get(
    '/api/summary',
    ranged('Earned today, popugs in the red, the most expensive task per period'),
    async (request) => {
      const { today, day, earnedToday, inTheRed, periods } = await figures(request.query);
      return {
        today,
        earned_today: earnedToday,
        popugs_in_the_red: inTheRed,
        most_expensive: Object.fromEntries(
          periods.map(({ period, best }) => [period.name, { from: period.from, to: period.to, task: publicTop(best) }]),
        ),
        around: day,
      };
    },
  );
  api.get(
    '/api/most-expensive',
    ranged('The most expensive completed task of each day in a range'),
    async (request) => {
      const { range } = await figures(request.query);
      return { from: range.from, to: range.to, days: range.days.map(publicTop), best: publicTop(range.best) };
    },
  );
  api.get('/api/earnings', ranged('Management earnings per day'), async (request) => {
    const { from, to } = readDayRange(request.query, await openBusinessDay(readPool, clock.today()), 30);
    return { from, to, days: await earningsByDay(readPool, from, to) };
  });
  api.post('/api/rebuild', { schema: { summary: 'Empty the figures and replay every event' } }, async () => {
    await projection.rebuild();
    return { rebuilding: true };
  });

  api.get(
    '/',
    { schema: { querystring: Type.Composite([RangeQuery, Type.Object({ rebuilt: Type.Optional(NoticeText) })]) } },
    async (request, reply) => {
      const data = await figures(request.query);
      const earnings = await earningsByDay(readPool, readDayRange({}, data.today, 30).from, data.today);
      const notice = request.query.rebuilt
        ? {
            kind: 'info' as const,
            text: 'Rebuilding from the event log: the figures fill up again as the events are replayed.',
          }
        : undefined;
      return sendPage(reply, analyticsPage(viewContextOf(request, notice), { ...data, earnings }));
    },
  );
  // Rebuilding empties every figure before the replay fills them again: confirmed first.
  api.get('/rebuild', async (request, reply) => sendPage(reply, confirmRebuildPage(viewContextOf(request))));
  api.post('/rebuild', { schema: { body: formBody() } }, async (_request, reply) => {
    await projection.rebuild();
    return reply.redirect('/?rebuilt=1', 303);
  });
}
