export * from './deadLetters.ts';
export * from './EventConsumer.ts';
export * from './eventHandler.ts';
export * from './isInfrastructureFailure.ts';
export { collectLag } from './watchLag.ts';
