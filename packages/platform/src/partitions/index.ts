export { partitionCount, partitionOf } from './partitionOf.ts';
