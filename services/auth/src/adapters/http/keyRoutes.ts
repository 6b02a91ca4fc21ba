import { requireRole } from '@ates/platform/auth';
import { typed } from '@ates/platform/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/**
 * Admins rotate the token signing key. Tokens signed with the old one keep verifying until
 * they expire, unless `revoke` says the old key is compromised: then they stop at once.
 */
export async function keyRoutes(
  app: FastifyInstance,
  options: { rotate: (revoke: boolean, traceId: string) => Promise<{ kid: string; revoked: string[] }> },
): Promise<void> {
  typed(app).post(
    '/api/ops/signing-keys/rotate',
    {
      preValidation: requireRole('admin'),
      schema: {
        summary: 'Rotate the token signing key; with revoke, tokens signed by the old one stop at once (admin)',
        body: Type.Union([
          Type.Null(),
          Type.Object({ revoke: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ]),
      },
    },
    async (request) => {
      const { kid, revoked } = await options.rotate(request.body?.revoke === true, request.traceId);
      return { signing_key_id: kid, revoked_key_ids: revoked };
    },
  );
}
