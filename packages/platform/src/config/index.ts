export { serviceNodeFlags } from './serviceNodeFlags.ts';
export {
  authIssuer,
  ConfigError,
  isProduction,
  publicUrl,
  readBoolean,
  readInteger,
  readOptional,
  readString,
  readTimeZone,
  type ServiceName,
  servicePort,
  services,
} from './settings.ts';
