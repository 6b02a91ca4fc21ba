export { addDays, BusinessClock, type BusinessDay, daysBetween, isBusinessDay } from './businessClock.ts';
export { readDay, readDayRange } from './dayQuery.ts';
