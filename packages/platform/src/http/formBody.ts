import { type TOptional, type TString, Type } from '@sinclair/typebox';

type FormFields<Field extends string> = { [Name in Field | '_csrf']: TOptional<TString> };

/**
 * The body of an HTML form post: the named text fields (and the CSRF token), each optional,
 * nothing else. A JSON body of another shape is refused with a 400 before any handler reads it.
 */
export function formBody<const Field extends string>(...fields: Field[]) {
  const properties = Object.fromEntries(
    [...fields, '_csrf'].map((field) => [field, Type.Optional(Type.String({ maxLength: 20_000 }))]),
  ) as FormFields<Field>;
  return Type.Object(properties, { additionalProperties: false });
}
