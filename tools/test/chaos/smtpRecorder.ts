import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../packages/platform/src/runtime/index.ts';

/** An SMTP server standing for the outside world: it records the Message-ID of every mail it accepts. */
export async function startSmtpRecorder(): Promise<{ url: string; messageIds: string[]; stop(): Promise<void> }> {
  const messageIds: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        messageIds.push(/^Message-ID:\s*(\S+)/im.exec(raw)?.[1] ?? '(none)');
        callback();
      });
    },
  });
  // A sender SIGKILLed mid-session resets its connection; the outside world's server shrugs that off.
  server.on('error', () => undefined);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messageIds,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
