import { createPool, ensureDatabase } from '@ates/platform/db';
import Fastify from 'fastify';

/**
 * The floor under "create a task": bare Fastify and one SQL statement that writes a task
 * row and its outbox row, on the same server and durability as aTES. No sign-in, no
 * validation beyond JSON, no random draw, no event built: what no implementation of the
 * route can go below on this machine.
 */
const url = process.env['DATABASE_URL']!;
await ensureDatabase(url);
const pool = createPool(url);
await pool.query(`
  CREATE TABLE IF NOT EXISTS floor_tasks (id uuid PRIMARY KEY, title text NOT NULL, description text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS floor_outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id uuid NOT NULL, body text NOT NULL)`);

const app = Fastify();
app.get('/healthz', async () => ({ ok: true }));
app.post<{ Body: { title: string; description?: string } }>('/api/tasks', async (request, reply) => {
  const { rows } = await pool.query<{ body: string }>(
    `WITH task AS (INSERT INTO floor_tasks (id, title, description) VALUES (gen_random_uuid(), $1, $2) RETURNING id, title)
     INSERT INTO floor_outbox (event_id, body) SELECT gen_random_uuid(), json_build_object('task_id', id, 'title', title)::text FROM task
     RETURNING body`,
    [request.body.title, request.body.description ?? ''],
  );
  return reply.status(201).send(rows[0]!.body);
});
await app.listen({ host: '127.0.0.1', port: Number(process.env['FLOOR_PORT']) });
let closing = false;
const close = () => {
  if (closing) return;
  closing = true;
  // Exits itself: the IPC channel would keep it alive.
  void app
    .close()
    .then(() => pool.end())
    .finally(() => process.exit(0));
};
process.on('SIGTERM', close);
process.on('disconnect', close);
