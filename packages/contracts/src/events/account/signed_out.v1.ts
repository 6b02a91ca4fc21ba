import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const AccountSignedOutV1 = defineEvent({
  name: 'account.signed_out',
  version: 1,
  producer: 'auth',
  aggregate: 'account',
  description:
    'Every session of the account ended: it signed out, changed its password, or was disabled. Access tokens issued before `signed_out_at` are no longer honoured anywhere.',
  data: Type.Object(
    {
      account_id: Field.id('The account'),
      signed_out_at: Field.timestamp('Tokens issued before this instant are void'),
      reason: Type.Union([Type.Literal('signed_out'), Type.Literal('password_changed'), Type.Literal('disabled')]),
    },
    strict,
  ),
});
