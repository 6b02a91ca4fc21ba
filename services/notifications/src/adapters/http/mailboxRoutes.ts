import { requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { PageNumber, pageOf, sendPage, typed, viewContextOf } from '@ates/platform/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readMailbox } from '../db/mailbox.ts';
import { mailboxPage } from './views/mailboxPage.ts';

const pageSize = 20;

/** Admins read every mail the sink received; everyone else only their own. */
export async function mailboxRoutes(
  app: FastifyInstance,
  options: { readPool: Pool; sinkRunning: boolean; timeZone: string },
): Promise<void> {
  const api = typed(app);
  const signedIn = (summary: string) => ({
    preValidation: requireRole(),
    schema: { summary, querystring: Type.Object({ page: Type.Optional(PageNumber) }) },
  });
  const mailFor = async (request: FastifyRequest, page: number) => {
    const user = request.user!;
    const everyone = user.role === 'admin';
    const read = await readMailbox(options.readPool, {
      accountId: everyone ? undefined : user.id,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { everyone, page, ...read };
  };

  api.get(
    '/api/mailbox',
    signedIn('Emails the sink received: mine, or everyone’s for an admin; 20 a page'),
    async (request) => {
      const { mails, total, page } = await mailFor(request, pageOf(request.query));
      return {
        total,
        page,
        page_size: pageSize,
        mails: mails.map((mail) => ({
          id: mail.id,
          message_id: mail.messageId,
          from: mail.sender,
          to: mail.recipients,
          subject: mail.subject,
          body: mail.body,
          received_at: mail.receivedAt,
        })),
      };
    },
  );
  api.get('/', signedIn('The mailbox page'), async (request, reply) => {
    const mailbox = await mailFor(request, pageOf(request.query));
    return sendPage(
      reply,
      mailboxPage(viewContextOf(request), {
        ...mailbox,
        pageSize,
        recipient: request.user!.email,
        sinkRunning: options.sinkRunning,
        timeZone: options.timeZone,
      }),
    );
  });
}
