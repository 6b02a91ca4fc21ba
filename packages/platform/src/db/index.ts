export * from './databases.ts';
export * from './lockKeys.ts';
export * from './migrate.ts';
export * from './pool.ts';
export * from './unreachable.ts';
