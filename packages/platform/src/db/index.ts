export * from './databases.ts';
export * from './migrate.ts';
export * from './pool.ts';
export * from './unreachable.ts';
