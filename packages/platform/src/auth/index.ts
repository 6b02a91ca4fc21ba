export * from './verifyAccessToken.ts';
export * from './dashboardAuth.ts';
export * from './signInWithPassword.ts';
export * from './deviceSignIn.ts';
