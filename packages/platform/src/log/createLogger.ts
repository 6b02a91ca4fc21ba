import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(name: string): Logger {
  return pino({
    name,
    level:
      process.env['LOG_LEVEL'] ?? (process.env['NODE_ENV'] === 'test' || process.env['VITEST'] ? 'silent' : 'info'),
    redact: ['req.headers.authorization', 'req.headers.cookie', '*.password'],
  });
}
