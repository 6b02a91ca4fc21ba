import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingService } from '../services/accounting/src/service.ts';
import { notificationsService } from '../services/notifications/src/service.ts';
import { tasksService } from '../services/tasks/src/service.ts';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../tools/test/ates.ts';
import { freePort } from '../tools/test/freePort.ts';
import { waitFor } from '../tools/test/waitFor.ts';

interface ReceivedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
}

/** An OTLP/HTTP receiver, as a collector would be: what the services export lands here. */
function otlpReceiver(received: ReceivedSpan[]): Server {
  return createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk));
    request.on('end', () => {
      const export_ = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string }[] }[];
        }[];
      };
      for (const { resource, scopeSpans } of export_.resourceSpans) {
        const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
        for (const { spans } of scopeSpans)
          for (const span of spans)
            received.push({
              service,
              name: span.name,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
            });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

describe('one trace from a request to the ledger', () => {
  const received: ReceivedSpan[] = [];
  let receiver: Server;
  let ates: TestAtes;
  let request: ReceivedSpan;
  let worker: TestAccount;
  let taskId: string;

  beforeAll(async () => {
    const port = await freePort();
    receiver = otlpReceiver(received).listen(port, '127.0.0.1');
    ates = await startAtes([tasksService, accountingService, notificationsService], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
      SMTP_SINK_PORT: String(await freePort()),
      EMAIL_SENDER_POLL_MS: '200',
    });
    worker = await ates.account('worker');
    await waitForDirectory(ates.services['tasks']!, [worker.id]);
    const created = await ates.call('tasks', 'POST', '/api/tasks', ates.admin.token, { title: 'Trace the seeds' });
    expect(created.status).toBe(201);
    taskId = created.body.id;
    request = await waitFor(
      'the request span',
      () => received.find((span) => span.service === 'ates-tasks' && span.name === 'POST /api/tasks'),
      30_000,
    );
  }, 120_000);
  afterAll(() => receiver.close());

  const inTrace = (service: string, name: string) =>
    waitFor(
      `${name} in ${service}`,
      () => received.find((span) => span.traceId === request.traceId && span.service === service && span.name === name),
      30_000,
    );

  it('makes the request a server span of the tasks service', () => {
    expect(request.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('follows the event through the outbox to the bus, in the same trace', async () => {
    expect((await inTrace('ates-tasks', 'publish task.created')).parentSpanId).toBe(request.spanId);
  });

  it('reaches the ledger posting of the first fee, in the same trace', async () => {
    expect((await inTrace('ates-accounting', 'consume task.created')).parentSpanId).toBe(request.spanId);
  });

  it('ends the trace of a day’s close with the payout email it sends', async () => {
    await ates.call('tasks', 'POST', `/api/tasks/${taskId}/complete`, worker.token);
    const ledger = ates.services['accounting']!.context.pool;
    await waitFor(
      'the reward in the ledger',
      async () => (await ledger.query("SELECT 1 FROM ledger_transfers WHERE kind = 'reward'")).rowCount === 1,
    );
    const day = (await ates.call('accounting', 'GET', '/api/me', worker.token)).body.day as string;
    await ates.call('accounting', 'POST', `/api/days/${day}/close`, ates.admin.token);
    const close = await waitFor('the close request span', () =>
      received.find((span) => span.service === 'ates-accounting' && span.name === 'POST /api/days/:day/close'),
    );
    const email = await waitFor('the email span', () =>
      received.find((span) => span.service === 'ates-notifications' && span.name === 'send payout email'),
    );
    expect(email.traceId).toBe(close.traceId);
  }, 60_000);
});
