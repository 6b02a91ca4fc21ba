import { type AuthenticatedUser, csrfTokenFor, requireRole } from '@ates/platform/auth';
import type { Pool } from '@ates/platform/db';
import { PageNumber, pageOf } from '@ates/platform/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readMailbox } from '../db/mailbox.ts';
import { mailboxPage } from './views/mailboxPage.ts';

/** Admins read every mail the sink received; everyone else only their own. */
export async function mailboxRoutes(
  app: FastifyInstance,
  options: { readPool: Pool; sinkRunning: boolean },
): Promise<void> {
  const signedIn = {
    preValidation: requireRole('notifications'),
    schema: { querystring: Type.Object({ page: Type.Optional(PageNumber) }) },
  };
  const user = (request: FastifyRequest) => request.user as AuthenticatedUser;
  const mailFor = (request: FastifyRequest) => {
    const page = pageOf(request.query as { page?: string });
    const everyone = user(request).role === 'admin';
    return {
      everyone,
      read: readMailbox(options.readPool, {
        accountId: everyone ? undefined : user(request).id,
        limit: 50,
        offset: (page - 1) * 50,
      }),
    };
  };

  app.get('/api/mailbox', signedIn, async (request) => {
    const { mails, total } = await mailFor(request).read;
    return {
      total,
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
  });
  app.get('/', signedIn, async (request, reply) => {
    const { everyone, read } = mailFor(request);
    const { mails, total } = await read;
    return reply.type('text/html').send(
      mailboxPage({
        user: user(request),
        csrfToken: csrfTokenFor(request),
        mails,
        total,
        everyone,
        sinkRunning: options.sinkRunning,
      }),
    );
  });
}
