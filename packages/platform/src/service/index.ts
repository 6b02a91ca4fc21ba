export * from './startService.ts';
export * from './opsRoutes.ts';
