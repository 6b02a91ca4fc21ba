// Pure: domain code imports it from '@ates/platform/money' without loading Fastify.
export { formatMoney } from '../money/index.ts';
export * from './barChart.ts';
export * from './createHttpServer.ts';
export * from './formSchema.ts';
export * from './html.ts';
export * from './layout.ts';
export * from './routeSchemas.ts';
