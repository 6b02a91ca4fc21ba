export { afterCommit } from './afterCommit.ts';
export { type CopyValue, copyRows } from './copyRows.ts';
export { databaseUrlFor, ensureDatabase, readReplicaUrlFor, withDatabase } from './databases.ts';
export { lockKeys } from './lockKeys.ts';
export { migrateDatabase, migrateServiceDatabase } from './migrate.ts';
export { createPool, type Pool, type Tx, withTransaction } from './pool.ts';
export { prepared } from './prepared.ts';
export { isDatabaseUnreachable } from './unreachable.ts';
