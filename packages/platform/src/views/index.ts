// Pages, built on the server with escape-by-default templates. Pure: no Fastify here.
export { type ApiDocument, apiDocsPage } from './apiDocsPage.ts';
export { type Asset, favicon, stylesheet } from './assets.ts';
export { barChart, type ChartOptions, type ChartPoint } from './barChart.ts';
export { type Confirmation, confirmPage } from './confirmPage.ts';
export { csrfField } from './csrfField.ts';
export { type ErrorDetails, errorPage } from './errorPage.ts';
export { formatTime } from './formatTime.ts';
export { escapeHtml, html, SafeHtml, trusted } from './html.ts';
export { type Dashboard, dashboardsFor } from './navigation.ts';
export { type Notice, type PageOptions, type PageUser, page, readOnlyBannerSlot, type ViewContext } from './page.ts';
export { type PagerOptions, pager } from './pager.ts';
export { type Column, type TableOptions, table } from './table.ts';
