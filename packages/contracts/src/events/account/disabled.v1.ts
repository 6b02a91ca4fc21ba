import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const AccountDisabledV1 = defineEvent({
  name: 'account.disabled',
  version: 1,
  producer: 'auth',
  aggregate: 'account',
  description: 'An account was disabled: it can no longer log in or be assigned tasks.',
  data: Type.Object({ account_id: Field.id('The account') }, strict),
});
