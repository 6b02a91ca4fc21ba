export * from './wakeableDelay.ts';
export * from './freePort.ts';
