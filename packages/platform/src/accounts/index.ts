export * from './accountDirectory.ts';
