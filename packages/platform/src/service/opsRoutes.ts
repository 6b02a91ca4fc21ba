import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/index.ts';
import type { EventBus } from '../bus/index.ts';
import type { ServiceName } from '../config/index.ts';
import type { Pool } from '../db/index.ts';
import { RuleBroken } from '../errors/index.ts';
import { readinessChecks, typed } from '../http/index.ts';
import { listDeadLetters, requestRedrive, setAside, stuckConsumers } from '../inbox/index.ts';

export interface OpsOptions {
  service: ServiceName;
  pool: Pool;
  bus: EventBus;
  /** The consumer groups this service runs. */
  groups: readonly string[];
  /** What else an operator should see of this service, e.g. work that keeps failing. */
  details?: () => Record<string, unknown>;
}

/** What an operator (an admin, or the `ates` CLI) needs of every service: lag, backlog, dead letters. */
export async function opsRoutes(app: FastifyInstance, options: OpsOptions): Promise<void> {
  const { pool, bus } = options;
  const api = typed(app);
  app.addHook('preValidation', requireRole('admin'));

  app.get(
    '/api/ops/status',
    { schema: { summary: 'Readiness, consumer lag, outbox backlog, dead letters (admin)' } },
    async () => {
      const [readiness, consumers, outbox, letters] = await Promise.all([
        readinessChecks({ db: pool, bus }),
        Promise.all(
          options.groups.map(async (group) => {
            const stuck = stuckConsumers([group])[0];
            const holders = (await bus.partitionHolders?.(group)) ?? new Map<number, string>();
            return {
              group,
              lag: await bus.lag(group),
              // Which process works on which partitions, when several share the group.
              ...(holders.size > 0 ? { partitions: Object.fromEntries(holders) } : {}),
              ...(stuck
                ? {
                    stuck: {
                      position: stuck.position,
                      event_id: stuck.eventId,
                      error: stuck.error,
                      attempts: stuck.attempts,
                      since: stuck.since,
                    },
                  }
                : {}),
            };
          }),
        ),
        pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ates_outbox'),
        pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ates_dead_letters WHERE redriven_at IS NULL'),
      ]);
      return {
        service: options.service,
        readiness,
        bus: bus.kind,
        consumers,
        outbox_backlog: outbox.rows[0]!.n,
        dead_letters: letters.rows[0]!.n,
        ...options.details?.(),
      };
    },
  );
  app.get(
    '/api/ops/dead-letters',
    { schema: { summary: 'Events a consumer could not take, with why (admin)' } },
    async () => ({ dead_letters: await listDeadLetters(pool) }),
  );
  api.post(
    '/api/ops/dead-letters/redrive',
    {
      schema: {
        summary: 'Deliver dead letters again, all or by id (admin)',
        body: Type.Union([
          Type.Null(),
          Type.Object(
            // Dead-letter ids are bigint identities: a float like 1e300 passes "integer" but no SQL cast.
            {
              ids: Type.Optional(
                Type.Array(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 10_000 }),
              ),
            },
            { additionalProperties: false },
          ),
        ]),
      },
    },
    async (request) => ({ requested: await requestRedrive(pool, { ids: request.body?.ids }) }),
  );
  // The way out of a stuck position: the group puts that event aside as a dead letter when it next meets it.
  api.post(
    '/api/ops/dead-letters/set-aside',
    {
      schema: {
        summary: 'Put the event a consumer group is stuck on aside as a dead letter (admin)',
        body: Type.Object(
          {
            group: Type.String({ maxLength: 200 }),
            position: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { group, position } = request.body;
      if (!options.groups.includes(group))
        throw new RuleBroken(
          'invalid',
          `${options.service} has no consumer group "${group}"; it has ${options.groups.join(', ') || 'none'}`,
        );
      await setAside(pool, group, position);
      return reply.status(202).send({
        group,
        position,
        message: `${group} will put the event at position ${position} aside when it next meets it`,
      });
    },
  );
}
