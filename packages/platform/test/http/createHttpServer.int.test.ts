import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tools/test/databases.ts';
import { createPool, type Pool } from '../../src/db/index.ts';
import { RuleBroken } from '../../src/errors/index.ts';
import { createHttpServer, readinessChecks } from '../../src/http/index.ts';
import { stylesheet } from '../../src/views/index.ts';

describe('the shared HTTP server', () => {
  let pool: Pool;
  const deadPool = createPool('postgres://nobody@127.0.0.1:1/none');

  beforeAll(async () => {
    pool = createPool(await freshDatabase('http'));
  });
  afterAll(async () => {
    await pool.end();
    await deadPool.end();
  });

  function server(db: Pool) {
    const app = createHttpServer({ service: 'tasks', readiness: { db } });
    app.post(
      '/tasks',
      {
        schema: {
          body: {
            type: 'object',
            required: ['title'],
            properties: { title: { type: 'string', minLength: 1 } },
            additionalProperties: false,
          },
        },
      },
      async (request) => request.body,
    );
    app.get('/conflict', async () => {
      throw new RuleBroken('conflict', 'The task is already done');
    });
    app.get('/api/conflict', async () => {
      throw new RuleBroken('conflict', 'The task is already done');
    });
    app.get('/bug', async () => {
      throw new Error('secret internals: password=hunter2');
    });
    return app;
  }

  it('answers health', async () => {
    expect((await server(pool).inject('/healthz')).json()).toEqual({ status: 'ok', service: 'tasks' });
  });

  it('answers ready when the database answers', async () => {
    const ready = await server(pool).inject('/readyz');
    expect({ status: ready.statusCode, body: ready.json() }).toEqual({
      status: 200,
      body: { status: 'ready', service: 'tasks' },
    });
  });

  it('tells an anonymous caller only that it is not ready, never why', async () => {
    const response = await server(deadPool).inject('/readyz');
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 503,
      body: { status: 'not ready', service: 'tasks' },
    });
  });

  it('keeps the reason for operators', async () => {
    expect((await readinessChecks({ db: deadPool })).database).toMatch(/ECONNREFUSED|connect/);
  });

  it('survives a checked-out connection whose server goes away', async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const gone = new Promise<void>((resolve) => client.on('end', () => resolve()));
    await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await gone;
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(true);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('turns bad input into a 400 that names the problem', async () => {
    const app = server(pool);
    const missing = await app.inject({ method: 'POST', url: '/tasks', payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toBe("Invalid request: body must have required property 'title'");
    const notJson = await app.inject({
      method: 'POST',
      url: '/tasks',
      headers: { 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().message).toMatch(/JSON/);
    const huge = await app.inject({ method: 'POST', url: '/tasks', payload: { title: 'x'.repeat(300 * 1024) } });
    expect(huge.statusCode).toBe(413);
  });

  it('passes client errors through and hides the details of server errors', async () => {
    const app = server(pool);
    expect((await app.inject('/conflict')).json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The task is already done',
    });
    const bug = await app.inject('/bug');
    expect(bug.statusCode).toBe(500);
    expect(bug.body).not.toContain('hunter2');
    expect((await app.inject('/nowhere')).json()).toMatchObject({ statusCode: 404, message: 'No route GET /nowhere' });
  });

  it('sends security headers with every answer', async () => {
    const response = await server(pool).inject('/healthz');
    expect(response.headers['content-security-policy']).toContain("script-src 'none'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('echoes a valid request id and makes one up otherwise', async () => {
    const app = server(pool);
    expect(
      (await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id'],
    ).toBe('abc-123');
    expect(
      (await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id <script>' } })).headers['x-request-id'],
    ).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics with request latency by route', async () => {
    const app = server(pool);
    await app.inject('/healthz');
    const metrics = await app.inject('/metrics');
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(
      /ates_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(metrics.body).toContain('ates_events_consumed_total');
  });

  describe('for people in a browser', () => {
    const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

    it('shows a missing page as a page that says so', async () => {
      const response = await server(pool).inject({ url: '/nowhere', headers: browser });
      expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
        status: 404,
        type: 'text/html; charset=utf-8',
      });
      expect(response.body).toContain('<p data-testid="error-message">No route GET /nowhere</p>');
    });

    it('shows a broken rule with its message', async () => {
      const response = await server(pool).inject({ url: '/conflict', headers: browser });
      expect(response.statusCode).toBe(409);
      expect(response.body).toContain('<p data-testid="error-message">The task is already done</p>');
    });

    it('shows a bad form post with what was wrong', async () => {
      const response = await server(pool).inject({ method: 'POST', url: '/tasks', payload: {}, headers: browser });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('body must have required property &#39;title&#39;');
    });

    it('shows a failure on our side with the request id to quote, and nothing of the internals', async () => {
      const response = await server(pool).inject({
        url: '/bug',
        headers: { ...browser, 'x-request-id': 'req-42' },
      });
      expect(response.statusCode).toBe(500);
      expect(response.body).toContain('<code data-testid="request-id">req-42</code>');
      expect(response.body).not.toContain('hunter2');
    });

    it('keeps JSON for the API even when a browser asks', async () => {
      const response = await server(pool).inject({ url: '/api/conflict', headers: browser });
      expect(response.json()).toEqual({ statusCode: 409, error: 'Conflict', message: 'The task is already done' });
    });

    it('allows styles only from our own stylesheet', async () => {
      const policy = String((await server(pool).inject('/healthz')).headers['content-security-policy']);
      expect(policy).toContain("style-src 'self';");
    });

    it('links the stylesheet from every page', async () => {
      const response = await server(pool).inject({ url: '/nowhere', headers: browser });
      expect(response.body).toContain(`<link rel="stylesheet" href="${stylesheet.path}">`);
    });

    it('serves the stylesheet to be cached until it changes', async () => {
      const response = await server(pool).inject(stylesheet.path);
      expect({
        status: response.statusCode,
        type: response.headers['content-type'],
        cache: response.headers['cache-control'],
      }).toEqual({ status: 200, type: 'text/css; charset=utf-8', cache: 'public, max-age=31536000, immutable' });
    });

    it('serves a favicon', async () => {
      const response = await server(pool).inject('/favicon.ico');
      expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
        status: 200,
        type: 'image/svg+xml',
      });
    });
  });
});
