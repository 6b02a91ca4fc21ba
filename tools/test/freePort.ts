export { freePort } from '../../packages/platform/src/runtime/index.ts';
