import { Type } from '@sinclair/typebox';
import { defineEvent, strict } from '../../defineEvent.ts';
import { accountState } from './accountState.ts';

export const AccountUpdatedV1 = defineEvent({
  name: 'account.updated',
  version: 1,
  producer: 'auth',
  aggregate: 'account',
  description: 'Any change of an account; carries its whole new state.',
  data: Type.Object(accountState, strict),
});
