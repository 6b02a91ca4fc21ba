/** Reads settings from the environment, failing fast with the name of what is wrong. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function readString(name: string, fallback?: string, env: Env = process.env): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`${name} is required`);
}

export function readOptional(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function readInteger(name: string, fallback: number, env: Env = process.env): number {
  const raw = readOptional(name, env);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  return value;
}

export function readBoolean(name: string, fallback: boolean, env: Env = process.env): boolean {
  const raw = readOptional(name, env);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function readTimeZone(name: string, fallback: string, env: Env = process.env): string {
  const zone = readString(name, fallback, env);
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError(`${name} is not a known time zone: "${zone}"`);
  }
  return zone;
}

/** The services of aTES, each with its own database and default port. */
export const services = {
  auth: { port: 3000 },
  tasks: { port: 3001 },
  accounting: { port: 3002 },
  analytics: { port: 3003 },
  notifications: { port: 3004 },
} as const;
export type ServiceName = keyof typeof services;

export function servicePort(service: ServiceName, env: Env = process.env): number {
  return readInteger(`${service.toUpperCase()}_PORT`, services[service].port, env);
}

/** Where people reach a service; what links and OIDC redirects use. */
export function publicUrl(service: ServiceName, env: Env = process.env): string {
  return (
    readOptional(`${service.toUpperCase()}_PUBLIC_URL`, env) ?? `http://127.0.0.1:${servicePort(service, env)}`
  ).replace(/\/$/, '');
}

/** The SSO: tokens carry this issuer. */
export function authIssuer(env: Env = process.env): string {
  return readOptional('AUTH_ISSUER', env) ?? publicUrl('auth', env);
}

/** Development defaults (generated secrets, printed passwords) are refused in production. */
export function isProduction(env: Env = process.env): boolean {
  return env['NODE_ENV'] === 'production';
}
