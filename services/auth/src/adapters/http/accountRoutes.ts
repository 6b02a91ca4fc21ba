import { type AuthenticatedUser, csrfTokenFor, requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { formSchema, httpStatusOf, IdParams, ListQuery, NoticeText, pageOf } from '@ates/platform/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  email: { type: 'string', maxLength: 254 },
  full_name: { type: 'string', minLength: 1, maxLength: 200 },
  role: { type: 'string', enum: [...roles] },
  password: { type: 'string', minLength: 10, maxLength: 200 },
  beak_shape: { anyOf: [{ type: 'string', enum: beakShapes.map((shape) => shape.id) }, { type: 'null' }] },
  active: { type: 'boolean' },
  current_password: { type: 'string', maxLength: 200 },
} as const;

interface AccountBody {
  email?: string;
  full_name?: string;
  role?: Role;
  password?: string;
  beak_shape?: string | null;
  active?: boolean | string;
  current_password?: string;
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
    role: body.role,
    password: body.password || undefined,
    beakShape: beakFrom(body.beak_shape),
    active: body.active === undefined ? undefined : body.active === true || body.active === 'true',
  };
}

/** Accounts as pages for people and as a JSON API for scripts; only admins manage others. */
export async function accountRoutes(app: FastifyInstance, options: { pool: Pool }): Promise<void> {
  const { pool } = options;
  const adminOnly = { preValidation: requireRole('auth', 'admin') };
  const signedIn = { preValidation: requireRole('auth') };
  const user = (request: FastifyRequest) => request.user as AuthenticatedUser;

  /** One's own password, beak shape or role: the current password first, and never one's own role or state. */
  const confirmOwnChange = async (
    request: FastifyRequest,
    changes: AccountChanges,
    currentPassword: string | undefined,
  ) => {
    if (changes.role !== undefined || changes.active !== undefined)
      throw new RuleBroken('forbidden', 'Nobody changes their own role or state: ask another admin');
    const mine = await findAccountById(pool, user(request).id);
    if (!mine) throw new RuleBroken('not_found', 'Your account no longer exists');
    const beakChanges = changes.beakShape !== undefined && changes.beakShape !== mine.beakShape;
    if (changes.password !== undefined || beakChanges) await confirmIdentity(pool, mine, currentPassword, request.ip);
  };

  app.get('/', signedIn, async (request, reply) =>
    reply.redirect(user(request).role === 'admin' ? '/admin/accounts' : '/account', 303),
  );

  const noticeQuery = Type.Object({ done: Type.Optional(NoticeText) });
  const accountsQuery = Type.Composite([ListQuery, noticeQuery]);
  app.get('/api/accounts', { ...adminOnly, schema: { querystring: ListQuery } }, async (request) => {
    const query = request.query as { search?: string; page?: string };
    const current = pageOf(query);
    const { accounts, total } = await listAccounts(pool, {
      limit: pageSize,
      offset: (current - 1) * pageSize,
      search: query.search,
    });
    return { accounts: accounts.map(publicAccount), total, page: current, page_size: pageSize };
  });
  app.post<{ Body: Required<Pick<AccountBody, 'email' | 'full_name' | 'role' | 'password'>> & AccountBody }>(
    '/api/accounts',
    {
      ...adminOnly,
      schema: {
        body: {
          type: 'object',
          required: ['email', 'full_name', 'role', 'password'],
          additionalProperties: false,
          properties: { ...accountFields },
        },
      },
    },
    async (request, reply) => {
      const { email, full_name, role, password, beak_shape } = request.body;
      const account = await createAccount(
        pool,
        { email, fullName: full_name, role, password, beakShape: isBeakShape(beak_shape) ? beak_shape : null },
        request.id,
      );
      return reply.status(201).send(publicAccount(account));
    },
  );
  app.patch<{ Params: { id: string }; Body: AccountBody }>(
    '/api/accounts/:id',
    {
      ...adminOnly,
      schema: {
        params: IdParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { ...accountFields } },
      },
    },
    async (request) => {
      const changes = changesFrom(request.body);
      if (request.params.id === user(request).id)
        await confirmOwnChange(request, changes, request.body.current_password);
      return publicAccount(await changeAccount(pool, request.params.id, changes, request.id));
    },
  );
  app.get('/api/me', signedIn, async (request) => {
    const account = await findAccountById(pool, user(request).id);
    if (!account) throw new RuleBroken('not_found', 'Your account no longer exists');
    return publicAccount(account);
  });

  const renderAccounts = async (
    request: FastifyRequest,
    reply: FastifyReply,
    notice?: { kind: 'info' | 'error'; text: string },
  ) => {
    const query = request.query as { search?: string; page?: string; done?: string };
    const current = pageOf(query);
    const search = query.search ?? '';
    const { accounts, total } = await listAccounts(pool, { limit: pageSize, offset: (current - 1) * pageSize, search });
    const shown =
      notice ?? (query.done && notices[query.done] ? { kind: 'info' as const, text: notices[query.done]! } : undefined);
    return reply.type('text/html').send(
      accountsPage({
        user: user(request),
        csrfToken: csrfTokenFor(request),
        notice: shown,
        accounts,
        total,
        page: current,
        pageSize,
        search,
      }),
    );
  };

  app.get('/admin/accounts', { ...adminOnly, schema: { querystring: accountsQuery } }, (request, reply) =>
    renderAccounts(request, reply),
  );
  app.post<{ Body: AccountBody }>(
    '/admin/accounts',
    { ...adminOnly, schema: { ...formSchema('email', 'full_name', 'role', 'password'), querystring: accountsQuery } },
    async (request, reply) => {
      const body = request.body ?? {};
      try {
        await createAccount(
          pool,
          {
            email: body.email ?? '',
            fullName: body.full_name ?? '',
            role: (body.role ?? 'worker') as Role,
            password: body.password ?? '',
          },
          request.id,
        );
      } catch (error) {
        if (!(error instanceof RuleBroken)) throw error;
        return renderAccounts(request, reply.status(httpStatusOf(error)), { kind: 'error', text: error.message });
      }
      return reply.redirect('/admin/accounts?done=created', 303);
    },
  );
  app.post<{ Params: { id: string }; Body: AccountBody }>(
    '/admin/accounts/:id',
    { ...adminOnly, schema: { ...formSchema('role', 'active'), params: IdParams, querystring: accountsQuery } },
    async (request, reply) => {
      try {
        await changeAccount(
          pool,
          request.params.id,
          changesFrom({ role: request.body?.role, active: request.body?.active }),
          request.id,
        );
      } catch (error) {
        if (!(error instanceof RuleBroken)) throw error;
        return renderAccounts(request, reply.status(httpStatusOf(error)), { kind: 'error', text: error.message });
      }
      return reply.redirect('/admin/accounts?done=updated', 303);
    },
  );

  const renderMine = async (
    request: FastifyRequest,
    reply: FastifyReply,
    notice?: { kind: 'info' | 'error'; text: string },
  ) => {
    const account = await findAccountById(pool, user(request).id);
    if (!account) throw new RuleBroken('not_found', 'Your account no longer exists');
    return reply
      .type('text/html')
      .send(myAccountPage({ user: user(request), csrfToken: csrfTokenFor(request), account, notice }));
  };
  app.get('/account', { ...signedIn, schema: { querystring: noticeQuery } }, async (request, reply) => {
    const done = (request.query as { done?: string }).done;
    return renderMine(request, reply, done && notices[done] ? { kind: 'info', text: notices[done]! } : undefined);
  });
  app.post<{ Body: { beak?: string; password?: string; current_password?: string } }>(
    '/account',
    { ...signedIn, schema: formSchema('beak', 'password', 'current_password') },
    async (request, reply) => {
      try {
        const changes = changesFrom({ beak_shape: request.body?.beak ?? null, password: request.body?.password });
        await confirmOwnChange(request, changes, request.body?.current_password);
        await changeAccount(pool, user(request).id, changes, request.id);
      } catch (error) {
        if (!(error instanceof RuleBroken)) throw error;
        return renderMine(request, reply.status(httpStatusOf(error)), { kind: 'error', text: error.message });
      }
      return reply.redirect('/account?done=saved', 303);
    },
  );
}
