import type { EventDefinition } from './defineEvent.ts';
import type { Envelope } from './envelope.ts';
import { AccountCreatedV1 } from './events/account/created.v1.ts';
import { AccountDisabledV1 } from './events/account/disabled.v1.ts';
import { AccountRoleChangedV1 } from './events/account/role_changed.v1.ts';
import { AccountSignedOutV1 } from './events/account/signed_out.v1.ts';
import { AccountUpdatedV1 } from './events/account/updated.v1.ts';
import { PayoutMadeV1 } from './events/accounting/payout_made.v1.ts';
import { PayoutMadeV2 } from './events/accounting/payout_made.v2.ts';
import { PayoutMadeV3 } from './events/accounting/payout_made.v3.ts';
import { TransactionAppliedV1 } from './events/accounting/transaction_applied.v1.ts';
import { TransactionAppliedV2 } from './events/accounting/transaction_applied.v2.ts';
import { TransactionAppliedV3 } from './events/accounting/transaction_applied.v3.ts';
import { SigningKeyRevokedV1 } from './events/signing_key/revoked.v1.ts';
import { TaskAssignedV1 } from './events/task/assigned.v1.ts';
import { TaskAssignedV2 } from './events/task/assigned.v2.ts';
import { TaskAssignedV3 } from './events/task/assigned.v3.ts';
import { TaskCompletedV1 } from './events/task/completed.v1.ts';
import { TaskCompletedV2 } from './events/task/completed.v2.ts';
import { TaskCreatedV1 } from './events/task/created.v1.ts';
import { TaskCreatedV2 } from './events/task/created.v2.ts';
import { TaskCreatedV3 } from './events/task/created.v3.ts';
import { TaskCreatedV4 } from './events/task/created.v4.ts';

/** Every event version ever published. Versions are added, never changed or removed. */
export const registry: readonly EventDefinition[] = [
  AccountCreatedV1,
  AccountUpdatedV1,
  AccountRoleChangedV1,
  AccountDisabledV1,
  TaskCreatedV1,
  TaskCreatedV2,
  TaskAssignedV1,
  TaskCompletedV1,
  TransactionAppliedV1,
  PayoutMadeV1,
  TaskCreatedV3,
  TaskAssignedV2,
  TaskCompletedV2,
  TransactionAppliedV2,
  PayoutMadeV2,
  AccountSignedOutV1,
  SigningKeyRevokedV1,
  TransactionAppliedV3,
  TaskAssignedV3,
  PayoutMadeV3,
  TaskCreatedV4,
];

export function schemaKey(name: string, version: number): string {
  return `${name}.v${version}`;
}

const byKey = new Map(registry.map((definition) => [schemaKey(definition.name, definition.version), definition]));

export function findEventDefinition(name: string, version: number): EventDefinition | undefined {
  return byKey.get(schemaKey(name, version));
}

/** What a partitioned consumer group shares the event's work by: its definition's partition key, else its aggregate. */
export function partitionKeyOf(envelope: Envelope): string {
  const definition = findEventDefinition(envelope.event_name, envelope.event_version);
  return definition?.partitionKey?.(envelope.data as never) ?? envelope.aggregate_id;
}
