export * from './startService.ts';
