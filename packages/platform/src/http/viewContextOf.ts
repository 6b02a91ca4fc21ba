import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../auth/verifyAccessToken.ts';
import type { Notice, ViewContext } from '../views/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the dashboard sign-in (`registerDashboardAuth`) when the request carries a good token. */
    user: AuthenticatedUser | undefined;
    /** How the user was recognised: only cookies need CSRF protection. */
    authenticatedBy: 'cookie' | 'bearer' | undefined;
    accessToken: string | undefined;
  }
}

/** The token for forms of this session: whoever cannot read the session cookie cannot compute it. */
export function csrfTokenFor(request: FastifyRequest): string {
  return request.accessToken
    ? createHash('sha256').update(`csrf:${request.accessToken}`).digest('base64url').slice(0, 32)
    : '';
}

/** Who a page is for and their form token, plus the notice it shows. */
export function viewContextOf(request: FastifyRequest, notice?: Notice): ViewContext {
  const user = request.user;
  return {
    user: user ? { name: user.name, role: user.role } : undefined,
    csrfToken: csrfTokenFor(request),
    notice,
  };
}
