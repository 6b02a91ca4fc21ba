import { Type } from '@sinclair/typebox';
import { Field } from '../../defineEvent.ts';

/** The full public state of an account, as carried by account CUD events. */
export const accountState = {
  account_id: Field.id('Public id of the account, the subject of its tokens'),
  email: Type.String({ format: 'email', maxLength: 254 }),
  full_name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Field.role(),
  active: Type.Boolean({ description: 'Disabled accounts can neither log in nor be assigned tasks' }),
};
