import * as oidc from 'openid-client';
import { cliConfiguration, type Tokens } from './signInWithPassword.ts';

export interface DeviceSignIn {
  userCode: string;
  /** Where the person confirms, the code already filled in. */
  verificationUri: string;
  expiresInSeconds: number;
  /** Waits, at the interval the SSO asks for, until the person confirmed (or refused, or it expired). */
  finished(): Promise<Tokens>;
}

/**
 * Signs a command line in like `gh auth login`: the OAuth 2.0 Device Authorization Grant
 * (RFC 8628). The person confirms in a browser, where they are signed in already or sign
 * in with password and beak shape; the command line never sees their password.
 */
export async function startDeviceSignIn(issuer: string): Promise<DeviceSignIn> {
  const configuration = await cliConfiguration(issuer);
  const started = await oidc.initiateDeviceAuthorization(configuration, {
    scope: 'openid profile email offline_access ates',
  });
  return {
    userCode: started.user_code,
    verificationUri: started.verification_uri_complete ?? started.verification_uri,
    expiresInSeconds: started.expires_in,
    async finished() {
      const tokens = await oidc.pollDeviceAuthorizationGrant(configuration, started);
      return {
        accessToken: tokens.access_token,
        idToken: tokens.id_token,
        refreshToken: tokens.refresh_token,
        expiresIn: tokens.expires_in,
      };
    },
  };
}

/** Revokes a refresh token at the SSO: `ates logout`. */
export async function revokeRefreshToken(issuer: string, refreshToken: string): Promise<void> {
  await oidc.tokenRevocation(await cliConfiguration(issuer), refreshToken, { token_type_hint: 'refresh_token' });
}
