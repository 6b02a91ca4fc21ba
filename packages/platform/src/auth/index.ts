export * from './verifyAccessToken.ts';
export * from './dashboardAuth.ts';
export * from './signInWithPassword.ts';
