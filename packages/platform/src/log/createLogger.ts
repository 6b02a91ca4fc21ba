import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON lines for machines (production, files, log shippers); readable lines for a person
 * at a terminal. `ATES_LOG_FORMAT` decides when set (`npm start` sets it for its services
 * when it runs in a terminal); otherwise a terminal gets pretty lines outside production.
 */
function prettyWanted(env: NodeJS.ProcessEnv): boolean {
  if (env['ATES_LOG_FORMAT']) return env['ATES_LOG_FORMAT'] === 'pretty';
  return Boolean(process.stdout.isTTY) && env['NODE_ENV'] !== 'production';
}

function prettyStream(destination: NodeJS.WritableStream | undefined): DestinationStream {
  // Loaded only when wanted: a service logging JSON never pays for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    sync: true,
    colorize: Boolean(process.stdout.isTTY) || Boolean(process.env['FORCE_COLOR']),
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
    singleLine: true,
    ...(destination ? { destination } : {}),
  });
}

/** `destination` is for tests; services log to standard output. */
export function createLogger(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  destination?: NodeJS.WritableStream,
): Logger {
  const options = {
    name,
    level: env['LOG_LEVEL'] ?? (env['NODE_ENV'] === 'test' || env['VITEST'] ? 'silent' : 'info'),
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password'],
  };
  if (prettyWanted(env)) return pino(options, prettyStream(destination));
  return destination ? pino(options, destination as DestinationStream) : pino(options);
}
