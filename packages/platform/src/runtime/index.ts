export * from './freePort.ts';
export * from './wakeableDelay.ts';
