import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { EventDefinition, EventName } from './defineEvent.ts';

/**
 * Every event on the bus travels in this envelope. `data` is described per name and
 * version by the registry; the rest is the same for all events.
 */
export function envelopeSchema<Data extends TSchema>(name: string, version: number, data: Data) {
  return Type.Object(
    {
      event_id: Type.String({ format: 'uuid', description: 'UUID v7: unique per event, time-ordered' }),
      event_name: Type.Literal(name),
      event_version: Type.Literal(version),
      producer: Type.String({ minLength: 1, maxLength: 64 }),
      occurred_at: Type.String({ format: 'date-time' }),
      aggregate_id: Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'Events of one aggregate are delivered in order',
      }),
      trace_id: Type.String({ minLength: 1, maxLength: 128 }),
      data,
    },
    { additionalProperties: false },
  );
}

/** Just enough of an envelope to route it before knowing its schema. */
export const EnvelopeHead = Type.Object({
  event_id: Type.String({ format: 'uuid' }),
  event_name: Type.String({ minLength: 1, maxLength: 128 }),
  event_version: Type.Integer({ minimum: 1 }),
});
export type EnvelopeHead = Static<typeof EnvelopeHead>;

export interface Envelope<Name extends EventName = EventName, Version extends number = number, Data = unknown> {
  event_id: string;
  event_name: Name;
  event_version: Version;
  producer: string;
  occurred_at: string;
  aggregate_id: string;
  trace_id: string;
  data: Data;
}

export type EnvelopeOf<Definition> =
  Definition extends EventDefinition<infer Name, infer Version, infer Data>
    ? Envelope<Name, Version, Static<Data>>
    : never;
