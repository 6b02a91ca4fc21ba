import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { ServiceName } from '../config/index.ts';
import { type ApiDocument, apiDocsPage } from '../views/index.ts';
import { sendPage } from './sendPage.ts';

const descriptions: Record<ServiceName, string> = {
  auth: 'Single sign-on (OpenID Connect) and the accounts of UberPopug Inc.',
  tasks: 'The task board: create, complete and shuffle tasks.',
  accounting: 'The ledger: balances, audit logs, business days and payouts.',
  analytics: 'Figures for admins: management earnings, popugs in the red, the most expensive tasks.',
  notifications: 'The emails aTES sends, and the mailbox of the built-in SMTP sink.',
};

/** What the API description covers: the JSON API and the health endpoints, not the pages. */
export function isApiRoute(url: string): boolean {
  return url.startsWith('/api/') || ['/healthz', '/readyz', '/metrics'].includes(url);
}

/**
 * The service's HTTP API described from its route schemas, so the description cannot drift
 * from what the routes validate: `/openapi.json` for programs, `/docs` for people.
 * Registered before any route, so every route is seen.
 */
export function registerApiDocs(app: FastifyInstance, service: ServiceName): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `aTES ${service}`, version: '1.0.0', description: descriptions[service] },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from the SSO' },
          session: { type: 'apiKey', in: 'cookie', name: `ates_${service}_session` },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: ({ schema, url }) => ({ schema: { ...schema, hide: schema?.hide || !isApiRoute(url) }, url }),
  });
  void app.register(async (scope) => {
    scope.get('/openapi.json', { schema: { hide: true } }, async () => scope.swagger());
    scope.get('/docs', { schema: { hide: true } }, async (_request, reply) =>
      sendPage(reply, apiDocsPage(service, scope.swagger() as unknown as ApiDocument)),
    );
  });
}
