export { type BatchWhileBusyOptions, batchWhileBusy } from './batchWhileBusy.ts';
export { freePort } from './freePort.ts';
export { backoffDelay, sleep, WakeableDelay } from './wakeableDelay.ts';
