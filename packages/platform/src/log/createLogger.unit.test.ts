import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './createLogger.ts';

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('the logger', () => {
  it('writes JSON lines for machines', () => {
    const out = collect();
    createLogger('tasks', { ATES_LOG_FORMAT: 'json', LOG_LEVEL: 'info' }, out.stream).info({ task: 7 }, 'created');
    expect(JSON.parse(out.text())).toMatchObject({ name: 'tasks', msg: 'created', task: 7 });
  });

  it('writes readable lines for a person at a terminal', () => {
    const out = collect();
    createLogger('tasks', { ATES_LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' }, out.stream).info({ task: 7 }, 'created');
    expect(out.text()).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: created \{"task":7\}\n$/);
  });

  it('keeps passwords out of the log', () => {
    const out = collect();
    createLogger('auth', { ATES_LOG_FORMAT: 'json', LOG_LEVEL: 'info' }, out.stream).info(
      { account: { password: 'hunter2' } },
      'signed in',
    );
    expect(out.text()).not.toContain('hunter2');
  });

  it('is silent under test unless a level is given', () => {
    expect(createLogger('tasks', { VITEST: 'true' }).level).toBe('silent');
  });
});
