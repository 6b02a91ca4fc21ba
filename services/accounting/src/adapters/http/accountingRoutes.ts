import { findDirectoryAccount } from '@ates/platform/accounts';
import { type AuthenticatedUser, csrfTokenFor, requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { DayQuery, DayText, formSchema, IdParams, ListQuery, pageOf, RangeQuery } from '@ates/platform/http';
import {
  addDays,
  type BusinessClock,
  type BusinessDay,
  isBusinessDay,
  readDay,
  readDayRange,
} from '@ates/platform/time';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { closeBusinessDay } from '../../app/closeBusinessDay.ts';
import { openBusinessDay } from '../../domain/ledger.ts';
import { lastClosedOrClosingDay } from '../db/businessDays.ts';
import { auditLog, balanceOf, closedDays, listBalances, managementEarnings } from '../db/ledgerQueries.ts';
import { accountAuditPage, myAccountPage, overviewPage } from './views/accountingPages.ts';

const pageSize = 50;
const chartDays = 30;
const managementRoles = ['admin', 'accountant'] as const;

function publicLine(line: Awaited<ReturnType<typeof auditLog>>[number]) {
  return {
    id: line.id,
    kind: line.kind,
    amount: line.amount,
    balance_after: line.balanceAfter,
    applied_at: line.appliedAt,
    task: line.taskId
      ? { id: line.taskId, title: line.taskTitle, jira_id: line.jiraId, description: line.taskDescription }
      : null,
  };
}

export async function accountingRoutes(
  app: FastifyInstance,
  options: { pool: Pool; readPool: Pool; clock: BusinessClock },
): Promise<void> {
  const { pool, readPool, clock } = options;
  const signedIn = { preValidation: requireRole('accounting') };
  const managers = { preValidation: requireRole('accounting', ...managementRoles) };
  const user = (request: FastifyRequest) => request.user as AuthenticatedUser;
  const isManagement = (request: FastifyRequest) => (managementRoles as readonly string[]).includes(user(request).role);

  // After an early close, postings go to the next business day: the views follow them there.
  const openDay = async (): Promise<BusinessDay> =>
    openBusinessDay(clock.today(), await lastClosedOrClosingDay(readPool));
  const dayFrom = async (request: FastifyRequest) => {
    const open = await openDay();
    return { day: readDay((request.query as { day?: string }).day, open), open };
  };
  const rangeFrom = async (request: FastifyRequest) =>
    readDayRange(request.query as { from?: string; to?: string }, await openDay(), chartDays);
  const closeDay = async (day: string | undefined, traceId: string) => {
    if (!isBusinessDay(day)) throw new RuleBroken('invalid', `"${day ?? ''}" is not a day: use YYYY-MM-DD`);
    return closeBusinessDay(pool, clock, day, { traceId });
  };

  const byDay = { querystring: DayQuery };
  app.get('/api/me', { ...signedIn, schema: byDay }, async (request) => {
    const { day } = await dayFrom(request);
    return {
      account_id: user(request).id,
      balance: await balanceOf(readPool, user(request).id),
      day,
      log: (await auditLog(readPool, user(request).id, day)).map(publicLine),
    };
  });
  app.get('/api/accounts', { ...managers, schema: { querystring: ListQuery } }, async (request) => {
    const query = request.query as { page?: string; search?: string };
    const current = pageOf(query);
    const { accounts, total } = await listBalances(readPool, {
      limit: pageSize,
      offset: (current - 1) * pageSize,
      search: query.search,
    });
    return { accounts, total, page: current, page_size: pageSize };
  });
  app.get<{ Params: { id: string } }>(
    '/api/accounts/:id/log',
    { ...managers, schema: { params: IdParams, ...byDay } },
    async (request) => {
      const { day } = await dayFrom(request);
      return {
        account_id: request.params.id,
        balance: await balanceOf(readPool, request.params.id),
        day,
        log: (await auditLog(readPool, request.params.id, day)).map(publicLine),
      };
    },
  );
  app.get('/api/earnings', { ...managers, schema: { querystring: RangeQuery } }, async (request) => {
    const { from, to } = await rangeFrom(request);
    const days = await managementEarnings(readPool, from, to);
    return { from, to, days, total: days.reduce((sum, day) => sum + day.earned, 0) };
  });
  app.get('/api/days', managers, async () => ({ days: await closedDays(readPool, 100) }));
  app.post<{ Params: { day: string } }>(
    '/api/days/:day/close',
    { ...managers, schema: { params: Type.Object({ day: DayText }) } },
    async (request) => {
      const closed = await closeDay(request.params.day, request.id);
      return {
        day: closed.day,
        already_closed: closed.alreadyClosed,
        payouts: closed.payouts,
        paid_out: closed.paidOut,
      };
    },
  );

  const overviewQuery = Type.Composite([
    ListQuery,
    DayQuery,
    Type.Object({ closed: Type.Optional(DayText), payouts: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })) }),
  ]);
  app.get('/', { ...signedIn, schema: { querystring: overviewQuery } }, async (request, reply) => {
    const frame = { user: user(request), csrfToken: csrfTokenFor(request) };
    if (!isManagement(request)) {
      const { day, open } = await dayFrom(request);
      const [balance, lines] = await Promise.all([
        balanceOf(readPool, user(request).id),
        auditLog(readPool, user(request).id, day),
      ]);
      return reply.type('text/html').send(myAccountPage({ ...frame, balance, day, today: open, lines }));
    }
    const query = request.query as { page?: string; search?: string; closed?: string; payouts?: string };
    const current = pageOf(query);
    const search = query.search ?? '';
    const open = await openDay();
    const [earnings, { accounts, total }, days] = await Promise.all([
      managementEarnings(readPool, addDays(open, -(chartDays - 1)), open),
      listBalances(readPool, { limit: pageSize, offset: (current - 1) * pageSize, search }),
      closedDays(readPool, 14),
    ]);
    const notice =
      query.closed && isBusinessDay(query.closed)
        ? { kind: 'info' as const, text: `${query.closed} is closed: ${Number(query.payouts) || 0} payouts made.` }
        : undefined;
    return reply.type('text/html').send(
      overviewPage({
        ...frame,
        notice,
        today: clock.today(),
        openDay: open,
        earnedToday: earnings.at(-1)?.earned ?? 0,
        earnings,
        accounts,
        total,
        page: current,
        pageSize,
        search,
        days,
      }),
    );
  });
  app.get<{ Params: { id: string } }>(
    '/accounts/:id',
    { ...managers, schema: { params: IdParams, ...byDay } },
    async (request, reply) => {
      const { day, open } = await dayFrom(request);
      const known = await findDirectoryAccount(readPool, request.params.id);
      const [balance, lines] = await Promise.all([
        balanceOf(readPool, request.params.id),
        auditLog(readPool, request.params.id, day),
      ]);
      return reply.type('text/html').send(
        accountAuditPage({
          user: user(request),
          csrfToken: csrfTokenFor(request),
          account: { id: request.params.id, name: known?.fullName || 'unknown popug' },
          balance,
          day,
          today: open,
          lines,
        }),
      );
    },
  );
  app.post<{ Body: { day?: string } }>(
    '/close-day',
    { ...managers, schema: formSchema('day') },
    async (request, reply) => {
      const closed = await closeDay(request.body?.day, request.id);
      return reply.redirect(`/?closed=${closed.day}&payouts=${closed.payouts}`, 303);
    },
  );
}
