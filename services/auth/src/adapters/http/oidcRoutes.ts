import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';

/**
 * Hands the protocol endpoints to oidc-provider untouched. In this scope no body parser
 * runs, so the provider reads the raw request itself.
 */
export async function oidcRoutes(app: FastifyInstance, options: { provider: () => Provider }): Promise<void> {
  const callbacks = new WeakMap<Provider, ReturnType<Provider['callback']>>();
  const callbackOf = (provider: Provider) => {
    if (!callbacks.has(provider)) callbacks.set(provider, provider.callback());
    return callbacks.get(provider)!;
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const handOver = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    await callbackOf(options.provider())(request.raw, reply.raw);
  };
  app.all('/oidc/*', handOver);
  app.get('/.well-known/openid-configuration', handOver);
}
