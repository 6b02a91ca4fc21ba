import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where `ates login` keeps its sign-in: the refresh token per SSO, in the user's config
 * directory, readable by them alone. Commands turn it into a short-lived access token.
 */
export function credentialsFile(env: Record<string, string | undefined> = process.env): string {
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'ates', 'credentials.json');
}

type Stored = Record<string, { refreshToken: string; email: string }>;

async function readAll(file: string): Promise<Stored> {
  return JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Stored;
}

export async function readCredentials(
  issuer: string,
  file = credentialsFile(),
): Promise<{ refreshToken: string; email: string } | undefined> {
  return (await readAll(file))[issuer];
}

export async function saveCredentials(
  issuer: string,
  credentials: { refreshToken: string; email: string },
  file = credentialsFile(),
): Promise<void> {
  const all = { ...(await readAll(file)), [issuer]: credentials };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  // writeFile keeps the mode of a file that already existed: make sure.
  await chmod(file, 0o600);
}

export async function forgetCredentials(issuer: string, file = credentialsFile()): Promise<void> {
  const { [issuer]: _gone, ...rest } = await readAll(file);
  if (Object.keys(rest).length === 0) await rm(file, { force: true });
  else await writeFile(file, `${JSON.stringify(rest, null, 2)}\n`, { mode: 0o600 });
}
