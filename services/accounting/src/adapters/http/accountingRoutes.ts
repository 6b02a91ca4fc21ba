import { findDirectoryAccount } from '@ates/platform/accounts';
import { requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import {
  DayQuery,
  DayText,
  formBody,
  IdParams,
  ListQuery,
  pageOf,
  RangeQuery,
  sendPage,
  typed,
  viewContextOf,
} from '@ates/platform/http';
import {
  addDays,
  type BusinessClock,
  type BusinessDay,
  isBusinessDay,
  readDay,
  readDayRange,
} from '@ates/platform/time';
import type { Notice } from '@ates/platform/views';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { closeBusinessDay } from '../../app/closeBusinessDay.ts';
import { openBusinessDay } from '../../domain/ledger.ts';
import { lastClosedOrClosingDay } from '../db/businessDays.ts';
import { auditLog, balanceOf, closedDays, listBalances, managementEarnings } from '../db/ledgerQueries.ts';
import {
  accountAuditPage,
  confirmCloseDayPage,
  type LedgerView,
  myAccountPage,
  overviewPage,
} from './views/accountingPages.ts';

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

const OverviewQuery = Type.Composite([
  ListQuery,
  DayQuery,
  Type.Object({
    closed: Type.Optional(DayText),
    payouts: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
    again: Type.Optional(Type.Literal('1')),
  }),
]);

function closedNotice(query: { closed?: string; payouts?: string; again?: string }): Notice | undefined {
  if (!query.closed || !isBusinessDay(query.closed)) return undefined;
  if (query.again) return { kind: 'info', text: `${query.closed} was already closed: nothing more was paid.` };
  return { kind: 'info', text: `${query.closed} is closed: ${Number(query.payouts) || 0} payouts made.` };
}

export async function accountingRoutes(
  app: FastifyInstance,
  options: { pool: Pool; readPool: Pool; clock: BusinessClock },
): Promise<void> {
  const { pool, readPool, clock } = options;
  const api = typed(app);
  const signedIn = { preValidation: requireRole() };
  const managers = { preValidation: requireRole(...managementRoles) };
  const userOf = (request: FastifyRequest) => request.user!;
  const isManagement = (request: FastifyRequest) =>
    (managementRoles as readonly string[]).includes(userOf(request).role);
  const view = (request: FastifyRequest, notice?: Notice): LedgerView => ({
    ...viewContextOf(request, notice),
    timeZone: clock.timeZone,
  });

  // After an early close, postings go to the next business day: the views follow them there.
  const openDay = async (): Promise<BusinessDay> =>
    openBusinessDay(clock.today(), await lastClosedOrClosingDay(readPool));
  const dayFrom = async (query: { day?: string }) => {
    const open = await openDay();
    return { day: readDay(query.day, open), open };
  };
  const closeDay = async (day: string | undefined, traceId: string) => {
    if (!isBusinessDay(day)) throw new RuleBroken('invalid', `"${day ?? ''}" is not a day: use YYYY-MM-DD`);
    return closeBusinessDay(pool, clock, day, { traceId });
  };
  const accountLog = async (accountId: string, query: { day?: string }) => {
    const { day, open } = await dayFrom(query);
    const [balance, lines] = await Promise.all([balanceOf(readPool, accountId), auditLog(readPool, accountId, day)]);
    return { balance, day, today: open, lines };
  };
  const publicLog = async (accountId: string, query: { day?: string }) => {
    const { balance, day, lines } = await accountLog(accountId, query);
    return { account_id: accountId, balance, day, log: lines.map(publicLine) };
  };

  api.get(
    '/api/me',
    { ...signedIn, schema: { summary: 'My balance and my audit log for a day', querystring: DayQuery } },
    async (request) => publicLog(userOf(request).id, request.query),
  );
  api.get(
    '/api/accounts',
    { ...managers, schema: { summary: 'Every balance, 50 a page (admin, accountant)', querystring: ListQuery } },
    async (request) => {
      const current = pageOf(request.query);
      const { accounts, total } = await listBalances(readPool, {
        limit: pageSize,
        offset: (current - 1) * pageSize,
        search: request.query.search,
      });
      return { accounts, total, page: current, page_size: pageSize };
    },
  );
  api.get(
    '/api/accounts/:id/log',
    {
      ...managers,
      schema: {
        summary: 'A balance and its audit log for a day (admin, accountant)',
        params: IdParams,
        querystring: DayQuery,
      },
    },
    async (request) => publicLog(request.params.id, request.query),
  );
  api.get(
    '/api/earnings',
    { ...managers, schema: { summary: 'Management earnings per day (admin, accountant)', querystring: RangeQuery } },
    async (request) => {
      const { from, to } = readDayRange(request.query, await openDay(), chartDays);
      const days = await managementEarnings(readPool, from, to);
      return { from, to, days, total: days.reduce((sum, day) => sum + day.earned, 0) };
    },
  );
  api.get(
    '/api/days',
    { ...managers, schema: { summary: 'Closed business days and what they paid (admin, accountant)' } },
    async () => ({ days: await closedDays(readPool, 100) }),
  );
  api.post(
    '/api/days/:day/close',
    {
      ...managers,
      schema: {
        summary: 'Close a business day: pay every positive balance once and email it (admin, accountant)',
        params: Type.Object({ day: DayText }),
      },
    },
    async (request) => {
      const closed = await closeDay(request.params.day, request.traceId);
      return {
        day: closed.day,
        already_closed: closed.alreadyClosed,
        payouts: closed.payouts,
        paid_out: closed.paidOut,
      };
    },
  );

  api.get('/', { ...signedIn, schema: { querystring: OverviewQuery } }, async (request, reply) => {
    if (!isManagement(request))
      return sendPage(reply, myAccountPage(view(request), await accountLog(userOf(request).id, request.query)));
    const query = request.query;
    const current = pageOf(query);
    const search = query.search ?? '';
    const open = await openDay();
    const [earnings, { accounts, total }, days] = await Promise.all([
      managementEarnings(readPool, addDays(open, -(chartDays - 1)), open),
      listBalances(readPool, { limit: pageSize, offset: (current - 1) * pageSize, search }),
      closedDays(readPool, 14),
    ]);
    return sendPage(
      reply,
      overviewPage(view(request, closedNotice(query)), {
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
  api.get(
    '/accounts/:id',
    { ...managers, schema: { params: IdParams, querystring: DayQuery } },
    async (request, reply) => {
      const known = await findDirectoryAccount(readPool, request.params.id);
      const account = { id: request.params.id, name: known?.fullName || 'unknown popug' };
      return sendPage(
        reply,
        accountAuditPage(view(request), { account, ...(await accountLog(request.params.id, request.query)) }),
      );
    },
  );
  // Closing pays real money: the dashboard's form asks here first, and only this page posts.
  api.get('/close-day', { ...managers, schema: { querystring: DayQuery } }, async (request, reply) => {
    const day = request.query.day || clock.today();
    if (!isBusinessDay(day)) throw new RuleBroken('invalid', `"${day}" is not a day: use YYYY-MM-DD`);
    return sendPage(reply, confirmCloseDayPage(view(request), day));
  });
  api.post('/close-day', { ...managers, schema: { body: formBody('day') } }, async (request, reply) => {
    const closed = await closeDay(request.body.day, request.traceId);
    const again = closed.alreadyClosed ? '&again=1' : '';
    return reply.redirect(`/?closed=${closed.day}&payouts=${closed.payouts}${again}`, 303);
  });
}
