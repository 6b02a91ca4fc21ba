import { requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import {
  formBody,
  IdParams,
  ListQuery,
  NoticeText,
  noticeOf,
  pageOf,
  postForm,
  sendPage,
  typed,
  viewContextOf,
} from '@ates/platform/http';
import type { Notice } from '@ates/platform/views';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AccountChanges, changeAccount, createAccount } from '../../app/accountCommands.ts';
import { confirmIdentity } from '../../app/confirmIdentity.ts';
import { type Account, type Role, roles } from '../../domain/account.ts';
import { beakShapes, isBeakShape } from '../../domain/beakShapes.ts';
import { findAccountById, listAccounts } from '../db/accountsTable.ts';
import { accountsPage, myAccountPage } from './views/accountPages.ts';

const pageSize = 50;
const notices: Record<string, string> = {
  created: 'Account created.',
  updated: 'Account saved.',
  saved: 'Your settings are saved.',
};

function publicAccount(account: Account) {
  return {
    id: account.id,
    email: account.email,
    full_name: account.fullName,
    role: account.role,
    active: account.active,
    beak_shape: account.beakShape,
  };
}

const accountFields = {
  email: Type.String({ maxLength: 254 }),
  full_name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Type.Union(roles.map((role) => Type.Literal(role))),
  password: Type.String({ minLength: 10, maxLength: 200 }),
  beak_shape: Type.Union([Type.Union(beakShapes.map((shape) => Type.Literal(shape.id))), Type.Null()]),
  active: Type.Boolean(),
  current_password: Type.String({ maxLength: 200 }),
};
const NewAccount = Type.Object(
  {
    email: accountFields.email,
    full_name: accountFields.full_name,
    role: accountFields.role,
    password: accountFields.password,
    beak_shape: Type.Optional(accountFields.beak_shape),
  },
  { additionalProperties: false },
);
const AccountChange = Type.Partial(Type.Object(accountFields), { additionalProperties: false, minProperties: 1 });

/** What a change says, whether it came as JSON or from a form (where every value is text). */
interface AccountBody extends Omit<Static<typeof AccountChange>, 'role' | 'active' | 'beak_shape'> {
  role?: string;
  active?: boolean | string;
  beak_shape?: string | null;
}

/** '' or null is no beak check; anything else must be one of the shapes. */
function beakFrom(value: string | null | undefined): AccountChanges['beakShape'] {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (!isBeakShape(value))
    throw new RuleBroken(
      'invalid',
      `"${value}" is not a beak shape; choose one of ${beakShapes.map((shape) => shape.id).join(', ')}`,
    );
  return value;
}

function changesFrom(body: AccountBody): AccountChanges {
  return {
    email: body.email,
    fullName: body.full_name,
    role: body.role as Role | undefined,
    password: body.password || undefined,
    beakShape: beakFrom(body.beak_shape),
    active: body.active === undefined ? undefined : body.active === true || body.active === 'true',
  };
}

/** Accounts as pages for people and as a JSON API for scripts; only admins manage others. */
export async function accountRoutes(app: FastifyInstance, options: { pool: Pool }): Promise<void> {
  const { pool } = options;
  const api = typed(app);
  const adminOnly = { preValidation: requireRole('admin') };
  const signedIn = { preValidation: requireRole() };
  const userOf = (request: FastifyRequest) => request.user!;

  /** One's own password, beak shape or role: the current password first, and never one's own role or state. */
  const confirmOwnChange = async (
    request: FastifyRequest,
    changes: AccountChanges,
    currentPassword: string | undefined,
  ) => {
    if (changes.role !== undefined || changes.active !== undefined)
      throw new RuleBroken('forbidden', 'Nobody changes their own role or state: ask another admin');
    const mine = await findAccountById(pool, userOf(request).id);
    if (!mine) throw new RuleBroken('not_found', 'Your account no longer exists');
    const beakChanges = changes.beakShape !== undefined && changes.beakShape !== mine.beakShape;
    if (changes.password !== undefined || beakChanges) await confirmIdentity(pool, mine, currentPassword, request.ip);
  };
  const myAccount = async (request: FastifyRequest) => {
    const account = await findAccountById(pool, userOf(request).id);
    if (!account) throw new RuleBroken('not_found', 'Your account no longer exists');
    return account;
  };

  api.get('/', signedIn, async (request, reply) =>
    reply.redirect(userOf(request).role === 'admin' ? '/admin/accounts' : '/account', 303),
  );

  api.get(
    '/api/accounts',
    { ...adminOnly, schema: { summary: 'List accounts, 50 a page (admin)', querystring: ListQuery } },
    async (request) => {
      const current = pageOf(request.query);
      const { accounts, total } = await listAccounts(pool, {
        limit: pageSize,
        offset: (current - 1) * pageSize,
        search: request.query.search,
      });
      return { accounts: accounts.map(publicAccount), total, page: current, page_size: pageSize };
    },
  );
  api.post(
    '/api/accounts',
    { ...adminOnly, schema: { summary: 'Create an account (admin)', body: NewAccount } },
    async (request, reply) => {
      const { email, full_name, role, password, beak_shape } = request.body;
      const account = await createAccount(
        pool,
        { email, fullName: full_name, role, password, beakShape: isBeakShape(beak_shape) ? beak_shape : null },
        request.traceId,
      );
      return reply.status(201).send(publicAccount(account));
    },
  );
  api.patch(
    '/api/accounts/:id',
    {
      ...adminOnly,
      schema: {
        summary: "Change an account's email, name, role, state, password or beak shape (admin)",
        params: IdParams,
        body: AccountChange,
      },
    },
    async (request) => {
      const changes = changesFrom(request.body);
      if (request.params.id === userOf(request).id)
        await confirmOwnChange(request, changes, request.body.current_password);
      return publicAccount(await changeAccount(pool, request.params.id, changes, request.traceId));
    },
  );
  api.get('/api/me', { ...signedIn, schema: { summary: 'The signed-in account' } }, async (request) =>
    publicAccount(await myAccount(request)),
  );

  const accountsQuery = Type.Composite([ListQuery, Type.Object({ done: Type.Optional(NoticeText) })]);
  type AccountsQuery = Static<typeof accountsQuery>;
  const accountsPageFor = async (request: FastifyRequest, query: AccountsQuery, notice?: Notice) => {
    const current = pageOf(query);
    const search = query.search ?? '';
    const { accounts, total } = await listAccounts(pool, { limit: pageSize, offset: (current - 1) * pageSize, search });
    return accountsPage(viewContextOf(request, notice ?? noticeOf(query.done, notices)), {
      accounts,
      total,
      page: current,
      pageSize,
      search,
    });
  };

  api.get('/admin/accounts', { ...adminOnly, schema: { querystring: accountsQuery } }, async (request, reply) =>
    sendPage(reply, await accountsPageFor(request, request.query)),
  );
  api.post(
    '/admin/accounts',
    {
      ...adminOnly,
      schema: { body: formBody('email', 'full_name', 'role', 'password'), querystring: accountsQuery },
    },
    async (request, reply) => {
      const body = request.body;
      return postForm(
        reply,
        async () => {
          await createAccount(
            pool,
            {
              email: body.email ?? '',
              fullName: body.full_name ?? '',
              role: (body.role ?? 'worker') as Role,
              password: body.password ?? '',
            },
            request.traceId,
          );
          return '/admin/accounts?done=created';
        },
        (notice) => accountsPageFor(request, request.query, notice),
      );
    },
  );
  api.post(
    '/admin/accounts/:id',
    { ...adminOnly, schema: { body: formBody('role', 'active'), params: IdParams, querystring: accountsQuery } },
    async (request, reply) =>
      postForm(
        reply,
        async () => {
          const changes = changesFrom({ role: request.body.role, active: request.body.active });
          await changeAccount(pool, request.params.id, changes, request.traceId);
          return '/admin/accounts?done=updated';
        },
        (notice) => accountsPageFor(request, request.query, notice),
      ),
  );

  api.get(
    '/account',
    { ...signedIn, schema: { querystring: Type.Object({ done: Type.Optional(NoticeText) }) } },
    async (request, reply) =>
      sendPage(
        reply,
        myAccountPage(viewContextOf(request, noticeOf(request.query.done, notices)), await myAccount(request)),
      ),
  );
  api.post(
    '/account',
    { ...signedIn, schema: { body: formBody('beak', 'password', 'current_password') } },
    async (request, reply) =>
      postForm(
        reply,
        async () => {
          const changes = changesFrom({ beak_shape: request.body.beak ?? null, password: request.body.password });
          await confirmOwnChange(request, changes, request.body.current_password);
          await changeAccount(pool, userOf(request).id, changes, request.traceId);
          return '/account?done=saved';
        },
        async (notice) => myAccountPage(viewContextOf(request, notice), await myAccount(request)),
      ),
  );
}
