/**
 * The schema of an HTML form post: named text fields (and the CSRF token), nothing else.
 * A JSON body of another shape is refused with a 400 before any handler reads it.
 */
export function formSchema(...fields: string[]) {
  return {
    body: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        [...fields, '_csrf'].map((field) => [field, { type: 'string', maxLength: 20_000 }]),
      ),
    },
  } as const;
}
