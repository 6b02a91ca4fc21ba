import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { type Envelope, EnvelopeHead, envelopeSchema } from './envelope.ts';
import { accountState } from './events/account/accountState.ts';
import { registry, schemaKey } from './registry.ts';

// ajv-formats is CommonJS with a default export that ESM sees one level down.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

const ajv = new Ajv({ allErrors: false, strict: true });
addFormats(ajv);

const validateHead = ajv.compile(EnvelopeHead);
const validators = new Map<
  string,
  { schema: ValidateFunction; producer: string; rules?: (data: never) => string | undefined }
>(
  registry.map((definition) => [
    schemaKey(definition.name, definition.version),
    {
      schema: ajv.compile(envelopeSchema(definition.name, definition.version, definition.data)),
      producer: definition.producer,
      rules: definition.rules,
    },
  ]),
);

export type Validation = { ok: true; envelope: Envelope } | { ok: false; reason: string };

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'invalid';
  const where = first.instancePath || '(root)';
  const extra = first.keyword === 'additionalProperties' ? ` '${String(first.params['additionalProperty'])}'` : '';
  return `${where} ${first.message ?? 'is invalid'}${extra}`;
}

/** Checks an envelope against the registered schema of its name and version, its registered producer, and that version's business rules. */
export function validateEnvelope(candidate: unknown): Validation {
  if (!validateHead(candidate)) return { ok: false, reason: `not an event envelope: ${describe(validateHead.errors)}` };
  const key = schemaKey(candidate.event_name, candidate.event_version);
  const validate = validators.get(key);
  if (!validate) return { ok: false, reason: `unknown event ${key}: not in the schema registry` };
  if (!validate.schema(candidate))
    return { ok: false, reason: `${key} does not match its schema: ${describe(validate.schema.errors)}` };
  const { producer } = candidate as Envelope;
  // Whoever can write to the bus must not pass off an event as another service's.
  if (producer !== validate.producer)
    return {
      ok: false,
      reason: `${key} is published by ${validate.producer} alone; this one says it came from ${producer}`,
    };
  const broken = validate.rules?.((candidate as Envelope).data as never);
  if (broken) return { ok: false, reason: `${key} breaks a business rule: ${broken}` };
  return { ok: true, envelope: candidate as Envelope };
}

/** Parses bytes from the bus into a valid envelope, or says why they are not one. */
export function decodeEnvelope(body: string): Validation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${(error as Error).message}` };
  }
  return validateEnvelope(parsed);
}

const validateEmail = ajv.compile(accountState.email);

/**
 * The one email rule: the account events' own. Forms and APIs check addresses with it, so
 * nothing is accepted that the event carrying it would be refused for.
 */
export function isEmailAddress(value: string): boolean {
  return validateEmail(value);
}
