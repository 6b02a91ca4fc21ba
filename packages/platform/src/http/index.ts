// Pure: domain code imports it from '@ates/platform/money' without loading Fastify.
export { formatMoney } from '../money/index.ts';
export { barChart, type ChartPoint } from './barChart.ts';
export {
  createHttpServer,
  type HttpServerOptions,
  httpStatusOf,
  type RouteEntry,
  readinessChecks,
  routesOf,
} from './createHttpServer.ts';
export { formSchema } from './formSchema.ts';
export { escapeHtml, html, SafeHtml, trusted } from './html.ts';
export { type PageOptions, type PageUser, page } from './layout.ts';
export {
  DayQuery,
  DayText,
  Id,
  IdParams,
  ListQuery,
  NoticeText,
  PageNumber,
  pageOf,
  RangeQuery,
  SearchText,
} from './routeSchemas.ts';
