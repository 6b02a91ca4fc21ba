import { describe, expect, it } from 'vitest';
import { readAuthSettings } from './settings.ts';

const long = (prefix: string) => `${prefix}-${'k'.repeat(40)}`;
const production = {
  NODE_ENV: 'production',
  ATES_ADMIN_EMAIL: 'boss@uberpopug.test',
  ATES_ADMIN_PASSWORD: 'a long admin password',
  AUTH_COOKIE_KEYS: long('c'),
  AUTH_SIGNING_KEY_SECRET: long('s'),
};

describe('production settings', () => {
  it('start with every secret long enough', () => {
    expect(readAuthSettings(production)).toMatchObject({ production: true, signingKeySecret: long('s') });
  });

  it('refuse a short cookie key', () => {
    expect(() => readAuthSettings({ ...production, AUTH_COOKIE_KEYS: `${long('c')},x` })).toThrow(/at least 32 bytes/);
  });

  it('refuse to keep signing keys in the clear', () => {
    expect(() => readAuthSettings({ ...production, AUTH_SIGNING_KEY_SECRET: undefined })).toThrow(
      /AUTH_SIGNING_KEY_SECRET/,
    );
  });

  it('refuse access tokens that outlive what services accept', () => {
    expect(() => readAuthSettings({ ...production, AUTH_ACCESS_TOKEN_TTL_SECONDS: '7200' })).toThrow(/at most 3600/);
  });
});
