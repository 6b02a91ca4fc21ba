import { requireRole } from '@ates/platform/auth';
import type { FastifyInstance } from 'fastify';

/** Admins rotate the token signing key; tokens signed with the old one keep verifying until they expire. */
export async function keyRoutes(app: FastifyInstance, options: { rotate: () => Promise<string> }): Promise<void> {
  app.post('/api/ops/signing-keys/rotate', { preValidation: requireRole('auth', 'admin') }, async () => ({ signing_key_id: await options.rotate() }));
}
