import type { FastifyRequest } from 'fastify';

/** A person in a browser, not a program: they get pages, programs get JSON (every `/api/` route). */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html') && !request.url.startsWith('/api/');
}
