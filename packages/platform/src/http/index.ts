export * from './createHttpServer.ts';
