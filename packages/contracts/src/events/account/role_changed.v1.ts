import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const AccountRoleChangedV1 = defineEvent({
  name: 'account.role_changed',
  version: 1,
  producer: 'auth',
  aggregate: 'account',
  description: 'An admin gave an account another role.',
  data: Type.Object({ account_id: Field.id('The account'), old_role: Field.role(), new_role: Field.role() }, strict),
});
