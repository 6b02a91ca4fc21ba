import type { FastifyInstance } from 'fastify';
import type { Pool } from '../db/index.ts';
import { html, readOnlyBannerSlot } from '../views/index.ts';

const banner = html`<div class="notice warning" role="alert"><strong>Read-only mode.</strong> The database that takes changes cannot be reached, so you are seeing data from a replica and nothing can be changed right now. Try again shortly.</div>`;

/**
 * Watches whether the service's primary database answers; while it does not, every page
 * says so. Reads keep working from the replica; writes fail with a 503 (see the error handler).
 */
export function watchPrimaryDatabase(app: FastifyInstance, primary: Pool, intervalMs = 2_000): void {
  let reachable = true;
  const check = async () => {
    reachable = await primary.query('SELECT 1').then(
      () => true,
      () => false,
    );
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
  app.addHook('onSend', async (_request, reply, payload) => {
    if (
      reachable ||
      typeof payload !== 'string' ||
      !String(reply.getHeader('content-type') ?? '').startsWith('text/html')
    )
      return payload;
    return payload.replace(readOnlyBannerSlot, banner.toString());
  });
}
