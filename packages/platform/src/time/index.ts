export * from './businessClock.ts';
