import type { Envelope, EnvelopeOf, EventDefinition } from '@ates/contracts';
import type { Tx } from '../db/index.ts';

/** What a consumer does with one event: its effects go through `tx`, the same transaction that records the event as applied. */
export type EventHandler<Event = Envelope> = (event: Event, tx: Tx) => Promise<void>;

export interface HandlerRegistration {
  readonly name: string;
  readonly version: number;
  readonly handle: EventHandler;
}

/** Binds a handler to one event version, typed by its schema. */
export function on<Definition extends EventDefinition>(definition: Definition, handle: EventHandler<EnvelopeOf<Definition>>): HandlerRegistration {
  return { name: definition.name, version: definition.version, handle: handle as EventHandler };
}
