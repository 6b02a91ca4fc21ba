export { type OpsOptions, opsRoutes } from './opsRoutes.ts';
export {
  configurationExitCode,
  type RunningService,
  runService,
  type ServiceContext,
  type ServiceDefinition,
  type ServiceParts,
  startService,
} from './startService.ts';
