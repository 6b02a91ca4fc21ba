import type { Envelope, EnvelopeOf, EventDefinition } from '@ates/contracts';
import type { Tx } from '../db/index.ts';

/** What a consumer does with one event: its effects go through `tx`, the same transaction that records the event as applied. */
export type EventHandler<Event = Envelope> = (event: Event, tx: Tx) => Promise<void>;

/** The same for a run of consecutive events, in order: for handlers that do set-based work. */
export type BatchEventHandler<Event = Envelope> = (events: readonly Event[], tx: Tx) => Promise<void>;

export interface HandlerRegistration {
  readonly name: string;
  readonly version: number;
  readonly handle: BatchEventHandler;
  /**
   * Given an event it has applied before, the handler changes nothing by itself (it keys
   * its writes on something the event carries), so the consumer does not also record the
   * event in the inbox: that was a second write of every event, for nothing.
   */
  readonly idempotent?: boolean;
}

/** Binds a handler to one event version, typed by its schema. */
export function on<Definition extends EventDefinition>(
  definition: Definition,
  handle: EventHandler<EnvelopeOf<Definition>>,
): HandlerRegistration {
  return {
    name: definition.name,
    version: definition.version,
    handle: async (events, tx) => {
      for (const event of events) await handle(event as EnvelopeOf<Definition>, tx);
    },
  };
}

/**
 * Binds one handler to several event versions that it applies together: consecutive
 * events it handles reach it as one ordered list.
 */
export function onBatch<Definitions extends readonly EventDefinition[]>(
  definitions: Definitions,
  handle: BatchEventHandler<EnvelopeOf<Definitions[number]>>,
  options: { idempotent?: boolean } = {},
): HandlerRegistration[] {
  const shared = handle as BatchEventHandler;
  return definitions.map((definition) => ({
    name: definition.name,
    version: definition.version,
    handle: shared,
    idempotent: options.idempotent ?? false,
  }));
}
