import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerDashboardAuth } from '@ates/platform/auth';
import { createHttpServer } from '@ates/platform/http';
import { opsRoutes, type ServiceDefinition } from '@ates/platform/service';
import { accountStanding } from './adapters/db/accountsTable.ts';
import { generatedSecret } from './adapters/db/generatedSecrets.ts';
import { signingKeyCipher } from './adapters/db/signingKeyCipher.ts';
import { loadSigningKeys, revokedSigningKeys, rotateSigningKey } from './adapters/db/signingKeys.ts';
import { accountRoutes } from './adapters/http/accountRoutes.ts';
import { interactionRoutes } from './adapters/http/interactionRoutes.ts';
import { keyRoutes } from './adapters/http/keyRoutes.ts';
import { oidcRoutes } from './adapters/http/oidcRoutes.ts';
import { createProvider } from './adapters/oidc/createProvider.ts';
import { ensureFirstAdmin, refuseDevelopmentAdmin } from './app/ensureFirstAdmin.ts';
import { readAuthSettings } from './settings.ts';

export const authService: ServiceDefinition = {
  name: 'auth',
  migrationsDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations'),
  async compose({ pool, bus, env, logger, tracing }) {
    const settings = readAuthSettings(env);
    if (await ensureFirstAdmin(pool, settings.firstAdmin))
      logger.info({ email: settings.firstAdmin.email }, 'created the first admin');
    if (settings.production) await refuseDevelopmentAdmin(pool);
    const cipher = signingKeyCipher(settings.signingKeySecret);
    const cookieKeys = settings.cookieKeys ?? [await generatedSecret(pool, 'oidc-cookie-key')];
    const buildProvider = async () =>
      createProvider({
        issuer: settings.issuer,
        pool,
        env,
        accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
        onSignOutFailure: (error) => logger.error({ err: error }, 'ending the sessions of a signed-out account failed'),
        // Retired keys stay published as long as a token they signed can live.
        signingKeys: await loadSigningKeys(pool, settings.accessTokenTtlSeconds + 60, cipher),
        cookieKeys,
      });
    // Sessions, grants and codes live in the database, so a provider with new keys
    // takes over from the old one without anyone noticing.
    let provider = await buildProvider();
    const currentProvider = () => provider;
    const rotate = async (revoke: boolean, traceId: string) => {
      const rotated = await rotateSigningKey(pool, cipher, { revoke, traceId });
      provider = await buildProvider();
      return rotated;
    };
    const http = createHttpServer({ service: 'auth', readiness: { db: pool, bus }, tracing });
    await http.register(oidcRoutes, { provider: currentProvider });
    await http.register(interactionRoutes, { provider: currentProvider, pool });
    await http.register(async (dashboard) => {
      // The SSO judges tokens by the accounts table itself: a demoted admin is a worker at once.
      await registerDashboardAuth(dashboard, {
        service: 'auth',
        env,
        standing: (id) => accountStanding(pool, id),
        revokedKeys: () => revokedSigningKeys(pool),
      });
      await dashboard.register(accountRoutes, { pool });
      await dashboard.register(opsRoutes, { service: 'auth', pool, bus, groups: [] });
      await dashboard.register(keyRoutes, { rotate });
    });
    return { http };
  },
};
