import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const SigningKeyRevokedV1 = defineEvent({
  name: 'signing_key.revoked',
  version: 1,
  producer: 'auth',
  aggregate: 'signing_key',
  description:
    'A token signing key was revoked as compromised: tokens it signed are no longer honoured anywhere, whatever their expiry.',
  data: Type.Object(
    {
      kid: Type.String({ minLength: 1, maxLength: 128, description: 'The key id (JWS `kid`) of the revoked key' }),
      revoked_at: Field.timestamp('When it was revoked'),
    },
    strict,
  ),
});
