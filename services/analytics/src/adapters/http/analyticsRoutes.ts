import { type AuthenticatedUser, csrfTokenFor, requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { formSchema, NoticeText, RangeQuery } from '@ates/platform/http';
import { type BusinessClock, type BusinessDay, readDay, readDayRange } from '@ates/platform/time';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
import { analyticsPage } from './views/analyticsPage.ts';

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
  app.addHook('preValidation', requireRole('analytics', 'admin'));

  const figures = async (request: FastifyRequest) => {
    const query = request.query as { day?: string; from?: string; to?: string };
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

  const ranged = { schema: { querystring: RangeQuery } };
  app.get('/api/summary', ranged, async (request) => {
    const { today, day, earnedToday, inTheRed, periods } = await figures(request);
    return {
      today,
      earned_today: earnedToday,
      popugs_in_the_red: inTheRed,
      most_expensive: Object.fromEntries(
        periods.map(({ period, best }) => [period.name, { from: period.from, to: period.to, task: publicTop(best) }]),
      ),
      around: day,
    };
  });
  app.get('/api/most-expensive', ranged, async (request) => {
    const { range } = await figures(request);
    return { from: range.from, to: range.to, days: range.days.map(publicTop), best: publicTop(range.best) };
  });
  app.get('/api/earnings', ranged, async (request) => {
    const { from, to } = readDayRange(
      request.query as { from?: string; to?: string },
      await openBusinessDay(readPool, clock.today()),
      30,
    );
    return { from, to, days: await earningsByDay(readPool, from, to) };
  });
  app.post('/api/rebuild', async () => {
    await projection.rebuild();
    return { rebuilding: true };
  });

  app.get(
    '/',
    { schema: { querystring: Type.Composite([RangeQuery, Type.Object({ rebuilt: Type.Optional(NoticeText) })]) } },
    async (request, reply) => {
      const data = await figures(request);
      const earnings = await earningsByDay(readPool, readDayRange({}, data.today, 30).from, data.today);
      const notice = (request.query as { rebuilt?: string }).rebuilt
        ? {
            kind: 'info' as const,
            text: 'Rebuilding from the event log: the figures fill up again as the events are replayed.',
          }
        : undefined;
      return reply.type('text/html').send(
        analyticsPage({
          user: request.user as AuthenticatedUser,
          csrfToken: csrfTokenFor(request),
          notice,
          ...data,
          earnings,
        }),
      );
    },
  );
  app.post('/rebuild', { schema: formSchema() }, async (_request, reply) => {
    await projection.rebuild();
    return reply.redirect('/?rebuilt=1', 303);
  });
}
