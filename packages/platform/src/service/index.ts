export * from './opsRoutes.ts';
export * from './startService.ts';
