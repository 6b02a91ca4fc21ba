import type { Pool } from '@ates/platform/db';
import { formBody, sendPage, typed } from '@ates/platform/http';
import formbody from '@fastify/formbody';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import { signIn } from '../../app/signIn.ts';
import { loginPage } from './views/loginPage.ts';

/** The one page where people type their password: oidc-provider asks, we check, it continues. */
export async function interactionRoutes(
  app: FastifyInstance,
  options: { provider: () => Provider; pool: Pool },
): Promise<void> {
  const { pool } = options;
  await app.register(formbody);

  const byUid = { params: Type.Object({ uid: Type.String({ pattern: '^[\\w-]{1,128}$' }) }) };
  app.get<{ Params: { uid: string } }>('/interaction/:uid', { schema: byUid }, async (request, reply) => {
    const provider = options.provider();
    const details = await provider.interactionDetails(request.raw, reply.raw);
    if (details.prompt.name === 'login') {
      const client = await provider.Client.find(String(details.params['client_id']));
      return sendPage(reply, loginPage({ uid: details.uid, clientName: client?.clientName }));
    }
    // Every client is first-party: a consent prompt (asked for with prompt=consent) is granted at once.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params['client_id']) });
    grant!.addOIDCScope(String(details.params['scope'] ?? 'openid'));
    grant!.addResourceScope('urn:ates', 'ates');
    const grantId = await grant!.save();
    reply.hijack();
    await provider.interactionFinished(
      request.raw,
      reply.raw,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  });

  typed(app).post(
    '/interaction/:uid/login',
    { schema: { ...byUid, body: formBody('email', 'password', 'beak') } },
    async (request, reply) => {
      const provider = options.provider();
      const details = await provider.interactionDetails(request.raw, reply.raw);
      const { email = '', password = '', beak } = request.body;
      const result = await signIn(pool, { email, password, beakShape: beak || undefined, address: request.ip });
      if (!result.ok) {
        return sendPage(reply.status(result.status), loginPage({ uid: details.uid, email, error: result.message }));
      }
      reply.hijack();
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        { login: { accountId: result.account.id } },
        { mergeWithLastSubmission: false },
      );
    },
  );
}
