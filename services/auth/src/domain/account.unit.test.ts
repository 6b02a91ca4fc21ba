import { RuleBroken } from '@ates/platform/errors';
import { describe, expect, it } from 'vitest';
import { checkAccountFields, normaliseEmail } from './account.ts';

const messageOf = (fields: Parameters<typeof checkAccountFields>[0]) => {
  try {
    checkAccountFields(fields);
    return undefined;
  } catch (error) {
    if (error instanceof RuleBroken) return error.message;
    throw error;
  }
};

describe('account fields', () => {
  it('accept a whole valid account', () => {
    expect(
      messageOf({
        email: 'kesha@uberpopug.test',
        fullName: 'Kesha',
        role: 'worker',
        password: 'ten chars!',
        beakShape: 'hooked',
      }),
    ).toBeUndefined();
  });

  it.each(['a@b..co', 'a(x)@b.co', 'not-an-email', 'a@-b.co'])(
    'refuse the email %j, as the account events would',
    (email) => {
      expect(messageOf({ email })).toBe(`"${email}" is not an email address`);
    },
  );

  it('refuse an empty name', () => {
    expect(messageOf({ fullName: '  ' })).toBe('The full name must have 1 to 200 characters');
  });

  it('refuse an unknown role', () => {
    expect(messageOf({ role: 'boss' })).toBe('The role must be one of admin, manager, accountant, worker');
  });

  it('refuse a password under 10 characters', () => {
    expect(messageOf({ password: 'nine char' })).toBe('The password must have at least 10 characters');
  });

  it('refuse an unknown beak shape', () => {
    expect(messageOf({ beakShape: 'trumpet' })).toBe('Unknown beak shape "trumpet"');
  });

  it('take no beak shape at all', () => {
    expect(messageOf({ beakShape: null })).toBeUndefined();
  });
});

describe('emails', () => {
  it('are compared trimmed and in lower case', () => {
    expect(normaliseEmail('  Kesha@UberPopug.TEST ')).toBe('kesha@uberpopug.test');
  });
});
