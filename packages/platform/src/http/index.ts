export * from './createHttpServer.ts';
export * from './html.ts';
export * from './layout.ts';
export * from './money.ts';
export * from './barChart.ts';
export * from './formSchema.ts';
