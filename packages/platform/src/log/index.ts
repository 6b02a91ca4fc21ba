export { createLogger, type Logger } from './createLogger.ts';
