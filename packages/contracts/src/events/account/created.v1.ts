import { Type } from '@sinclair/typebox';
import { defineEvent, strict } from '../../defineEvent.ts';
import { accountState } from './accountState.ts';

export const AccountCreatedV1 = defineEvent({
  name: 'account.created',
  version: 1,
  producer: 'auth',
  aggregate: 'account',
  description: 'An account was created in the SSO.',
  data: Type.Object(accountState, strict),
});
