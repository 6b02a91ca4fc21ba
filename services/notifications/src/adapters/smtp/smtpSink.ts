import type { Pool } from '@ates/platform/db';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server that accepts every mail and keeps it in the mailbox table, so
 * the emails aTES sends can be read on the mailbox page without a mail provider.
 */
export async function startSmtpSink(pool: Pool, port: number, host = '127.0.0.1'): Promise<{ stop(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 1024 * 1024,
    banner: 'aTES mail sink',
    async onData(stream, session, callback) {
      try {
        const mail = await simpleParser(stream);
        await pool.query(
          'INSERT INTO mailbox (message_id, sender, recipients, subject, body) VALUES ($1, $2, $3, $4, $5)',
          [
            mail.messageId ?? null,
            session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
            mail.subject ?? '',
            mail.text ?? '',
          ],
        );
        callback();
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.on('error', () => undefined);
  return { stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
