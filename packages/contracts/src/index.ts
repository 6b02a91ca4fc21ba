export { asyncApiDocument, eventCatalogMarkdown, publishedSchema } from './catalog.ts';
export { createEvent, type EventContext, InvalidEventError } from './createEvent.ts';
export {
  defineEvent,
  type EventData,
  type EventDefinition,
  type EventName,
  Field,
  strict,
  taskPrices,
} from './defineEvent.ts';
export { type Envelope, EnvelopeHead, type EnvelopeOf, envelopeSchema } from './envelope.ts';
export { AccountCreatedV1 } from './events/account/created.v1.ts';
export { AccountDisabledV1 } from './events/account/disabled.v1.ts';
export { AccountRoleChangedV1 } from './events/account/role_changed.v1.ts';
export { AccountSignedOutV1 } from './events/account/signed_out.v1.ts';
export { AccountUpdatedV1 } from './events/account/updated.v1.ts';
export { PayoutMadeV1 } from './events/accounting/payout_made.v1.ts';
export { PayoutMadeV2 } from './events/accounting/payout_made.v2.ts';
export { PayoutMadeV3 } from './events/accounting/payout_made.v3.ts';
export { TransactionAppliedV1 } from './events/accounting/transaction_applied.v1.ts';
export { TransactionAppliedV2 } from './events/accounting/transaction_applied.v2.ts';
export { maxTransactionsPerEvent, TransactionAppliedV3 } from './events/accounting/transaction_applied.v3.ts';
export { SigningKeyRevokedV1 } from './events/signing_key/revoked.v1.ts';
export { TaskAssignedV1 } from './events/task/assigned.v1.ts';
export { TaskAssignedV2 } from './events/task/assigned.v2.ts';
export { maxAssignmentsPerEvent, TaskAssignedV3 } from './events/task/assigned.v3.ts';
export { TaskCompletedV1 } from './events/task/completed.v1.ts';
export { TaskCompletedV2 } from './events/task/completed.v2.ts';
export { TaskCreatedV1 } from './events/task/created.v1.ts';
export { TaskCreatedV2 } from './events/task/created.v2.ts';
export { TaskCreatedV3 } from './events/task/created.v3.ts';
export { TaskCreatedV4 } from './events/task/created.v4.ts';
export {
  type AssigningEvent,
  isAssigningEvent,
  readTaskAssignments,
  type TaskAssignedEvent,
  type TaskAssignment,
} from './readers/readTaskAssignments.ts';
export { readTaskCreated, splitLegacyTitle, type TaskCreated } from './readers/readTaskCreated.ts';
export { findEventDefinition, partitionKeyOf, registry, schemaKey } from './registry.ts';
export { uuidv7 } from './uuidv7.ts';
export { decodeEnvelope, isEmailAddress, type Validation, validateEnvelope } from './validation.ts';
