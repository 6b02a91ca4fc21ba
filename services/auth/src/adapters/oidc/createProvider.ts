import { atesAudience, cliClient } from '@ates/platform/auth';
import { publicUrl, type ServiceName, services } from '@ates/platform/config';
import type { Pool } from '@ates/platform/db';
import type { JWK } from 'jose';
import Provider, { type ClientMetadata, type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import { signOutEverywhere } from '../../app/signOutEverywhere.ts';
import { findAccountById } from '../db/accountsTable.ts';
import { postgresOidcStore } from '../db/oidcStore.ts';
import {
  confirmSignOutPage,
  deviceCodeConfirmPage,
  deviceCodeInputPage,
  deviceSignedInPage,
  oidcErrorPage,
  signedOutPage,
} from '../http/views/oidcPages.ts';

export interface ProviderSettings {
  issuer: string;
  pool: Pool;
  signingKeys: JWK[];
  cookieKeys: string[];
  accessTokenTtlSeconds: number;
  env: Record<string, string | undefined>;
  onSignOutFailure?: (error: unknown) => void;
}

/** Every dashboard is a first-party public client that signs in with PKCE. */
function dashboardClients(env: Record<string, string | undefined>): ClientMetadata[] {
  return (Object.keys(services) as ServiceName[]).map((service) => ({
    client_id: service,
    client_name: `aTES ${service}`,
    application_type: 'web',
    redirect_uris: [`${publicUrl(service, env)}/auth/callback`],
    post_logout_redirect_uris: [`${publicUrl(service, env)}/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  }));
}

const cliClientMetadata: ClientMetadata = {
  client_id: cliClient.id,
  client_name: 'aTES command line',
  application_type: 'native',
  redirect_uris: [cliClient.redirectUri],
  // `ates login` signs in like `gh auth login`: the device authorization grant (RFC 8628).
  grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

export function createProvider(settings: ProviderSettings): Provider {
  const { pool } = settings;
  const configuration: Configuration = {
    adapter: postgresOidcStore(pool),
    clients: [...dashboardClients(settings.env), cliClientMetadata],
    // The ID token says who signed in (email, name, role under the standard scopes), so a
    // client need not call an API to greet the user.
    conformIdTokenClaims: false,
    clientDefaults: {
      id_token_signed_response_alg: 'ES256',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    jwks: { keys: settings.signingKeys as Configuration['jwks'] extends { keys: infer K } ? K : never },
    cookies: { keys: settings.cookieKeys },
    pkce: { required: () => true, methods: ['S256'] },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'role'] },
    routes: {
      authorization: '/oidc/auth',
      token: '/oidc/token',
      jwks: '/oidc/jwks',
      end_session: '/oidc/session/end',
      userinfo: '/oidc/me',
      revocation: '/oidc/token/revocation',
      introspection: '/oidc/token/introspection',
      pushed_authorization_request: '/oidc/request',
      code_verification: '/oidc/device',
      device_authorization: '/oidc/device/auth',
      registration: '/oidc/reg',
      backchannel_authentication: '/oidc/backchannel',
    },
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      // A person has ten minutes to confirm a command-line sign-in in the browser.
      DeviceCode: 600,
      IdToken: 3_600,
      Interaction: 3_600,
      Session: 14 * 24 * 3_600,
      Grant: 14 * 24 * 3_600,
      RefreshToken: 14 * 24 * 3_600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      deviceFlow: {
        enabled: true,
        // Unambiguous letters only, grouped as people read them: XKCD-BQRT.
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: (ctx, form, _out, error) => {
          ctx.body = deviceCodeInputPage(form, Boolean(error));
        },
        userCodeConfirmSource: (ctx, form, _client, _device, userCode) => {
          ctx.body = deviceCodeConfirmPage(form, userCode);
        },
        successSource: (ctx) => {
          ctx.body = deviceSignedInPage();
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = confirmSignOutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = signedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        // Tokens for the aTES APIs (a JWT for urn:ates) when the `ates` scope is asked for; a
        // client asking only for standard scopes gets a token for userinfo instead.
        defaultResource: (ctx) => {
          const { params, entities } = ctx.oidc;
          const asked =
            params?.['scope'] ??
            entities.AuthorizationCode?.scope ??
            entities.DeviceCode?.scope ??
            entities.RefreshToken?.scope ??
            'ates';
          return String(asked).split(' ').includes('ates') ? atesAudience : [];
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== atesAudience) throw new errors.InvalidTarget();
          return {
            scope: 'ates',
            audience: atesAudience,
            accessTokenTTL: settings.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    async findAccount(_ctx, sub) {
      const account = await findAccountById(pool, sub);
      // A disabled account keeps no session and gets no new tokens, refreshed or not.
      if (!account?.active) return undefined;
      return {
        accountId: account.id,
        claims: async () => ({ sub: account.id, email: account.email, name: account.fullName, role: account.role }),
      };
    },
    // The role is read when each token is issued, so a role change shows in the next token.
    async extraTokenClaims(_ctx, token) {
      if (!('accountId' in token) || !token.accountId) return undefined;
      const account = await findAccountById(pool, token.accountId);
      // `iat` has whole seconds; a sign-out must tell a token issued just before it from one just after.
      return account
        ? { role: account.role, email: account.email, name: account.fullName, issued_at_ms: Date.now() }
        : undefined;
    },
    // All clients are aTES's own dashboards: nobody is asked to consent to them.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client!;
      const session = ctx.oidc.session!;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId! });
      grant.addOIDCScope('openid profile email offline_access');
      grant.addResourceScope(atesAudience, 'ates');
      await grant.save();
      return grant;
    },
    async issueRefreshToken(_ctx, client, code) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = oidcErrorPage(out as { error: string; error_description?: string });
    },
  };
  const provider = new Provider(settings.issuer, configuration);
  provider.proxy = settings.env['AUTH_TRUST_PROXY'] === 'true';
  // Signing out is single: whichever dashboard it starts from, every session of the account
  // ends ("Only this dashboard" ends just that one, as the page says).
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (accountId && ctx.oidc.params?.['logout'])
      signOutEverywhere(pool, accountId, 'signed_out').catch((error: unknown) => settings.onSignOutFailure?.(error));
  });
  return provider;
}
