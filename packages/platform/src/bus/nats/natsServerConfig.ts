import { registry } from '@ates/contracts';

export interface NatsIdentities {
  /** The stream and subject prefix the services use (BUS_STREAM), `ATES` by default. */
  stream: string;
  /** The operator's user: may manage the stream and publish anything (tests, `ates` tools). */
  admin: { user: string; password: string };
  /** Each service's user and password; it may publish only the events it owns. */
  services: Record<string, string>;
}

const quoted = (text: string) => JSON.stringify(text);

/** What every service may do besides publishing: read the stream and run its own durable consumers. */
function consumerSubjects(stream: string): string[] {
  return [
    '$JS.API.INFO',
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.ACK.${stream}.>`,
    // Partition leases (PartitionLeases): read, write and list the keys of the stream's bucket.
    `$KV.${stream}_leases.>`,
    `$JS.API.STREAM.INFO.KV_${stream}_leases`,
    `$JS.API.STREAM.MSG.GET.KV_${stream}_leases`,
    `$JS.API.DIRECT.GET.KV_${stream}_leases.>`,
    // Listing keys runs an ordered consumer: create, info, delete.
    `$JS.API.CONSUMER.*.KV_${stream}_leases`,
    `$JS.API.CONSUMER.*.KV_${stream}_leases.>`,
    `$JS.FC.KV_${stream}_leases.>`,
  ];
}

/**
 * The `authorization` block of a nats-server configuration that gives each service a user
 * of its own, allowed to publish exactly the subjects of the events it owns in the schema
 * registry: JetStream itself then refuses a service publishing another's event. Include it
 * in the server's configuration (see README, "Operating it").
 */
export function natsAuthorization(identities: NatsIdentities): string {
  const owned = (service: string) => [
    ...new Set(
      registry
        .filter((definition) => definition.producer === service)
        .map((definition) => `${identities.stream}.*.${definition.name}`),
    ),
  ];
  const users = [
    `    { user: ${quoted(identities.admin.user)}, password: ${quoted(identities.admin.password)} }`,
    ...Object.entries(identities.services).map(([service, password]) => {
      const publish = [...owned(service), ...consumerSubjects(identities.stream)].map(quoted).join(', ');
      return `    { user: ${quoted(service)}, password: ${quoted(password)}, permissions: { publish: { allow: [${publish}] }, subscribe: { allow: ["_INBOX.>"] } } }`;
    }),
  ];
  return `authorization {\n  users: [\n${users.join('\n')}\n  ]\n}\n`;
}
