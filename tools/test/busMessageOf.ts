import type { Envelope } from '@ates/contracts';

/** An envelope as the bus carries it: what tests and the simulation publish or deliver directly. */
export function busMessageOf(event: Envelope): { id: string; name: string; key: string; body: string } {
  return { id: event.event_id, name: event.event_name, key: event.aggregate_id, body: JSON.stringify(event) };
}
