import type { Static, TObject } from '@sinclair/typebox';
import type { EventDefinition, EventName } from './defineEvent.ts';
import type { Envelope } from './envelope.ts';
import { uuidv7 } from './uuidv7.ts';
import { validateEnvelope } from './validation.ts';

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

export interface EventContext {
  aggregateId: string;
  traceId?: string;
  occurredAt?: Date;
  eventId?: string;
}

/** Builds an envelope and refuses to hand out one that breaks its own schema. */
export function createEvent<Name extends EventName, Version extends number, Data extends TObject>(
  definition: EventDefinition<Name, Version, Data>,
  data: Static<Data>,
  context: EventContext,
): Envelope<Name, Version, Static<Data>> {
  const eventId = context.eventId ?? uuidv7();
  const envelope: Envelope<Name, Version, Static<Data>> = {
    event_id: eventId,
    event_name: definition.name,
    event_version: definition.version,
    producer: definition.producer,
    occurred_at: (context.occurredAt ?? new Date()).toISOString(),
    aggregate_id: context.aggregateId,
    trace_id: context.traceId ?? eventId,
    data,
  };
  const validation = validateEnvelope(envelope);
  if (!validation.ok) throw new InvalidEventError(validation.reason);
  return envelope;
}
