export * from './dashboardAuth.ts';
export * from './deviceSignIn.ts';
export * from './signInWithPassword.ts';
export * from './verifyAccessToken.ts';
