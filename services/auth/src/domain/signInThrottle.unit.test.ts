import { describe, expect, it } from 'vitest';
import { decideSignIn, throttleSubjects } from './signInThrottle.ts';

const calm = { accountAndAddress: 0, address: 0, account: 0 };

describe('the sign-in throttle', () => {
  it('lets an attempt through below every limit', () => {
    expect(decideSignIn({ accountAndAddress: 4, address: 29, account: 99 })).toEqual({ allowed: true });
  });

  it('stops the fifth failure of an account from one place', () => {
    expect(decideSignIn({ ...calm, accountAndAddress: 5 })).toMatchObject({
      allowed: false,
      message: 'Too many failed sign-ins for this account. Try again in 15 minutes.',
    });
  });

  it('stops one place guessing many accounts', () => {
    expect(decideSignIn({ ...calm, address: 30 })).toMatchObject({
      allowed: false,
      message: expect.stringMatching(/from your network/),
    });
  });

  it('pauses an account guessed at from many places', () => {
    expect(decideSignIn({ ...calm, account: 100 })).toMatchObject({
      allowed: false,
      message: expect.stringMatching(/from many places/),
    });
  });

  it('counts an account per address apart from the account everywhere', () => {
    expect(throttleSubjects('kesha@uberpopug.test', '10.0.0.1')).toEqual({
      accountAndAddress: 'account:kesha@uberpopug.test|address:10.0.0.1',
      address: 'address:10.0.0.1',
      account: 'account:kesha@uberpopug.test',
    });
  });
});
