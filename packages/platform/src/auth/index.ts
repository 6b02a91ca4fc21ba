export {
  type CurrentStanding,
  type DashboardAuthOptions,
  registerDashboardAuth,
  requireRole,
  sameOriginPath,
} from './dashboardAuth.ts';
export { type DeviceSignIn, revokeRefreshToken, startDeviceSignIn } from './deviceSignIn.ts';
export {
  CookieSession,
  cliClient,
  cliConfiguration,
  refreshAccessToken,
  SignInError,
  signInWithPassword,
  type Tokens,
} from './signInWithPassword.ts';
export {
  type AuthenticatedUser,
  atesAudience,
  createTokenVerifier,
  InvalidTokenError,
  maxAccessTokenAgeSeconds,
  type Role,
  roles,
  SigningKeysUnavailableError,
  type TokenVerifier,
} from './verifyAccessToken.ts';
