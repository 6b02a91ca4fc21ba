import { type Static, type TObject, Type } from '@sinclair/typebox';

/** The business name of an event, e.g. `task.created`; versions live beside it. */
export type EventName = `${string}.${string}`;

export interface EventDefinition<
  Name extends EventName = EventName,
  Version extends number = number,
  Data extends TObject = TObject,
> {
  readonly name: Name;
  readonly version: Version;
  readonly producer: string;
  readonly description: string;
  readonly aggregate: string;
  readonly data: Data;
  /**
   * Business rules an envelope must also keep, beyond its published schema: how today's
   * consumers hold an old, frozen version to the bounds its successor publishes.
   * Returns what is wrong, or undefined.
   */
  rules?(data: Static<Data>): string | undefined;
  /**
   * What a consumer group that scales out shares this event's work by, when not the
   * aggregate: money events go by the account they move, so one ledger member posts all
   * of an account's lines and members never wait on each other's accounts. Events with
   * the same partition key reach a partitioned group in publish order.
   */
  partitionKey?(data: Static<Data>): string;
}

export function defineEvent<Name extends EventName, Version extends number, Data extends TObject>(
  definition: EventDefinition<Name, Version, Data>,
): EventDefinition<Name, Version, Data> {
  return Object.freeze(definition);
}

export type EventData<Definition> =
  Definition extends EventDefinition<EventName, number, infer Data> ? Static<Data> : never;

/** What a task may cost, in cents: the rule every producer and consumer of task events applies. */
export const taskPrices = {
  assignFee: { minimum: 10_00, maximum: 20_00 },
  completionReward: { minimum: 20_00, maximum: 40_00 },
} as const;

/** Shared field schemas, so every event spells ids, money and time the same way. */
export const Field = {
  id: (description: string) => Type.String({ format: 'uuid', description }),
  cents: (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000_000_00, description }),
  signedCents: (description: string) =>
    Type.Integer({ minimum: -1_000_000_000_00, maximum: 1_000_000_000_00, description }),
  timestamp: (description: string) => Type.String({ format: 'date-time', description }),
  businessDay: (description: string) => Type.String({ format: 'date', description }),
  /** The bounds the business sets on task prices (10–20 $ per assignment, 20–40 $ on completion). */
  assignFee: (description: string) => Type.Integer({ ...taskPrices.assignFee, description }),
  completionReward: (description: string) => Type.Integer({ ...taskPrices.completionReward, description }),
  role: () =>
    Type.Union([Type.Literal('admin'), Type.Literal('manager'), Type.Literal('accountant'), Type.Literal('worker')]),
} as const;

export const strict = { additionalProperties: false } as const;
