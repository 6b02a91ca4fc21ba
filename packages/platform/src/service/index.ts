export { type OpsOptions, opsRoutes } from './opsRoutes.ts';
export {
  configurationExitCode,
  type RunningService,
  runService,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceParts,
  type StartupMessage,
  startService,
} from './startService.ts';
