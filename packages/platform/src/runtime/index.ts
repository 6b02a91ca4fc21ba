export * from './wakeableDelay.ts';
