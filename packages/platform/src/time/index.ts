export * from './businessClock.ts';
export * from './dayQuery.ts';
