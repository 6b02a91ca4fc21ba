import { randomBytes } from 'node:crypto';
import { registry } from '@ates/contracts';
import pg from 'pg';
import { migrateBusLog } from './PostgresLogBus.ts';

/** The role a service signs in to the log as: one per log database and service, so test logs never share one. */
export function producerRoleName(database: string, service: string): string {
  return `${database}.${service}`.slice(0, 63);
}

/**
 * Makes the log ready for services that may each publish only their own events: the
 * tables, a login role per service with a fresh password, read access to the log and
 * their group positions, and the right to append only through ates_bus_append, which
 * checks each event's name and producer against the schema registry. Run by whoever owns
 * the log (npm start, the tests, an operator); returns each service's URL for the log.
 */
export async function provisionBusProducers(
  ownerUrl: string,
  services: readonly string[],
): Promise<Record<string, string>> {
  await migrateBusLog(ownerUrl);
  const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1));
  const client = new pg.Client({ connectionString: ownerUrl });
  client.on('error', () => undefined);
  await client.connect();
  const urls: Record<string, string> = {};
  try {
    const owners = [...new Map(registry.map((definition) => [definition.name, definition.producer])).entries()];
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO bus_event_owners (event_name, producer) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (event_name) DO UPDATE SET producer = excluded.producer`,
      [owners.map(([name]) => name), owners.map(([, producer]) => producer)],
    );
    for (const service of services) {
      const role = producerRoleName(database, service);
      const password = randomBytes(24).toString('base64url');
      const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
      // Identifiers and passwords cannot be bound as parameters in DDL: both are escaped.
      const escapedRole = pg.escapeIdentifier(role);
      await client.query(
        `${exists ? 'ALTER' : 'CREATE'} ROLE ${escapedRole} LOGIN PASSWORD ${pg.escapeLiteral(password)}`,
      );
      await client.query(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(database)} TO ${escapedRole}`);
      await client.query(`GRANT USAGE ON SCHEMA public TO ${escapedRole}`);
      await client.query(`GRANT SELECT ON bus_events TO ${escapedRole}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE ON bus_consumer_groups TO ${escapedRole}`);
      await client.query(`GRANT EXECUTE ON FUNCTION ates_bus_append(text[], text[], text[], text[]) TO ${escapedRole}`);
      await client.query(`GRANT EXECUTE ON FUNCTION ates_bus_append(json) TO ${escapedRole}`);
      await client.query(
        'INSERT INTO bus_producer_roles (role_name, producer) VALUES ($1, $2) ON CONFLICT (role_name) DO UPDATE SET producer = excluded.producer',
        [role, service],
      );
      const url = new URL(ownerUrl);
      url.username = encodeURIComponent(role);
      url.password = password;
      urls[service] = url.href;
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return urls;
}
