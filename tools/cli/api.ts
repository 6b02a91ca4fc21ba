import { authIssuer, publicUrl, type ServiceName } from '@ates/platform/config';
import { readCredentials, saveCredentials } from './credentials.ts';

/** A failure the person can act on: printed as one line, no stack trace. */
export class CliError extends Error {}

export interface Api {
  /** One call as the signed-in person (or as `bearer`); `Answer` is the shape the API promises. */
  call<Answer>(service: ServiceName, method: string, path: string, body?: unknown, bearer?: string): Promise<Answer>;
}

export function notRunning(service: ServiceName): CliError {
  return new CliError(`${service} is not answering at ${publicUrl(service)}: is aTES running (npm start)?`);
}

/** The services' APIs, as whoever signed in with `ates login`. */
export function connectApi(): Api {
  let accessToken: Promise<string> | undefined;
  // The kept sign-in is turned into an access token once per command.
  const token = () =>
    (accessToken ??= (async () => {
      const issuer = authIssuer();
      const kept = await readCredentials(issuer);
      if (!kept) throw new CliError(`Not signed in to ${issuer}: run npm run ates -- login`);
      // Loaded when first needed: the OpenID client is most of what the CLI would load at start.
      const { refreshAccessToken } = await import('@ates/platform/auth');
      const tokens = await refreshAccessToken({ issuer, refreshToken: kept.refreshToken }).catch(() => {
        throw new CliError(
          `Your sign-in to ${issuer} has ended (signed out, password changed, or expired): run npm run ates -- login`,
        );
      });
      // The SSO rotates refresh tokens: keep the new one.
      if (tokens.refreshToken) await saveCredentials(issuer, { ...kept, refreshToken: tokens.refreshToken });
      return tokens.accessToken;
    })());

  return {
    async call<Answer>(service: ServiceName, method: string, path: string, body?: unknown, bearer?: string) {
      const response = await fetch(`${publicUrl(service)}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${bearer ?? (await token())}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).catch(() => {
        throw notRunning(service);
      });
      const payload: unknown = await response.json().catch(() => ({}));
      if (!response.ok) {
        const message = (payload as { message?: string }).message ?? response.statusText;
        throw new CliError(`${service} refused ${method} ${path} (${response.status}): ${message}`);
      }
      return payload as Answer;
    },
  };
}
