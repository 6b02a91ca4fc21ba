import * as oidc from 'openid-client';

/** The client scripts, the CLI and tests sign in as (registered by the auth service). */
export const cliClient = { id: 'ates-cli', redirectUri: 'http://127.0.0.1/ates-cli/callback' } as const;

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The SSO as the `ates-cli` public client sees it (plain http allowed for a local SSO). */
export function cliConfiguration(issuer: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), cliClient.id, { token_endpoint_auth_method: 'none' }, oidc.None(), {
    execute: issuer.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
  });
}

export interface Tokens {
  accessToken: string;
  idToken?: string | undefined;
  refreshToken: string | undefined;
  expiresIn: number | undefined;
}

/** Follows redirects by hand and keeps cookies, as a browser does. */
export class CookieSession {
  private readonly jar = new Map<string, string>();

  async fetch(url: URL | string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', [...this.jar].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const split = pair.indexOf('=');
      const name = pair.slice(0, split).trim();
      const value = pair.slice(split + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  /** Posts a form the way a browser would. */
  postForm(url: URL | string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Follows redirects until a page is shown or `stopAt` says the location is the end. */
  async follow(
    response: Response,
    from: URL,
    stopAt: (location: URL) => boolean = () => false,
  ): Promise<{ response: Response; url: URL }> {
    let current = response;
    let url = from;
    for (let hops = 0; hops < 15 && current.status >= 300 && current.status < 400; hops += 1) {
      url = new URL(current.headers.get('location')!, url);
      if (stopAt(url)) return { response: current, url };
      current = await this.fetch(url);
    }
    return { response: current, url };
  }
}

function noticeOf(page: string): string {
  return (
    /class="notice error"[^>]*>([^<]*)</
      .exec(page)?.[1]
      ?.replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&') ?? 'sign-in refused'
  );
}

/**
 * Signs in through the real SSO: authorization code + PKCE with openid-client, and the
 * real login form (password and beak shape). For scripts, the CLI and tests.
 */
export async function signInWithPassword(options: {
  issuer: string;
  email: string;
  password: string;
  beakShape?: string;
  scope?: string;
}): Promise<Tokens> {
  const configuration = await cliConfiguration(options.issuer);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const start = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: cliClient.redirectUri,
    scope: options.scope ?? 'openid profile email offline_access ates',
    // offline_access (a refresh token) is only granted with an explicit consent step.
    prompt: 'consent',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  const session = new CookieSession();
  const isCallback = (location: URL) => location.href.startsWith(cliClient.redirectUri);
  const loginPage = await session.follow(await session.fetch(start), start, isCallback);
  if (loginPage.response.status !== 200 || !loginPage.url.pathname.startsWith('/interaction/')) {
    throw new SignInError(
      loginPage.response.status,
      `expected the login page, got ${loginPage.response.status} at ${loginPage.url.pathname}`,
    );
  }
  const submitted = await session.postForm(new URL(`${loginPage.url.pathname}/login`, loginPage.url), {
    email: options.email,
    password: options.password,
    beak: options.beakShape ?? '',
  });
  if (submitted.status < 300 || submitted.status >= 400)
    throw new SignInError(submitted.status, noticeOf(await submitted.text()));
  const end = await session.follow(submitted, loginPage.url, isCallback);
  if (!isCallback(end.url))
    throw new SignInError(end.response.status, `the sign-in did not come back with a code (${end.url.pathname})`);
  const tokens = await oidc.authorizationCodeGrant(configuration, end.url, {
    pkceCodeVerifier: verifier,
    expectedState: state,
  });
  return {
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  };
}

export async function refreshAccessToken(options: { issuer: string; refreshToken: string }): Promise<Tokens> {
  const configuration = await cliConfiguration(options.issuer);
  const tokens = await oidc.refreshTokenGrant(configuration, options.refreshToken);
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresIn: tokens.expires_in };
}
