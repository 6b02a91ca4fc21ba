// The HTTP shell every service shares. Pages themselves are in '@ates/platform/views'.

export { isApiRoute } from './apiDocs.ts';
export {
  createHttpServer,
  type HttpServerOptions,
  type RouteEntry,
  readinessChecks,
  routesOf,
} from './createHttpServer.ts';
export { formBody } from './formBody.ts';
export { httpStatusOf } from './httpStatusOf.ts';
export { noticeOf, postForm } from './postForm.ts';
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
export { sendPage } from './sendPage.ts';
export { type TypedApp, typed } from './typed.ts';
export { csrfTokenFor, viewContextOf } from './viewContextOf.ts';
export { wantsHtml } from './wantsHtml.ts';
