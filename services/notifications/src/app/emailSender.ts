import { type Pool, withTransaction } from '@ates/platform/db';
import type { Logger } from '@ates/platform/log';
import { WakeableDelay } from '@ates/platform/runtime';
import { contextOf, inSpan, noTracing, SpanKind, type Tracing } from '@ates/platform/telemetry';
import type { Transporter } from 'nodemailer';
import { claimDueEmails, markFailed, markSent } from '../adapters/db/outgoingEmails.ts';
import { nextAttemptDelaySeconds, payoutEmail, payoutMessageId } from '../domain/payoutEmail.ts';

export const senderAddress = 'aTES accounting <accounting@uberpopug.test>';

/**
 * Delivers owed emails over SMTP. A delivery is marked only after the server took it;
 * a server that refuses or is down means "try again later", never a lost email. The
 * Message-ID is the payout's, so a repeat after a crash is recognisably the same mail.
 */
export function startEmailSender(options: {
  pool: Pool;
  transport: Transporter;
  logger: Logger;
  pollMs: number;
  tracing?: Tracing;
}): {
  wake(): void;
  stop(): Promise<void>;
} {
  const work = new WakeableDelay();
  const { tracer } = options.tracing ?? noTracing;
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        let sent = 0;
        await withTransaction(options.pool, async (tx) => {
          const due = await claimDueEmails(tx, 50);
          // Sent side by side: the transport's pool spreads them over its connections, and
          // with a mail server across a network each email waits at least a round trip.
          const outcomes = await Promise.all(
            due.map(async (email) => {
              const message = payoutEmail(email);
              const mail = {
                from: senderAddress,
                to: email.email,
                subject: message.subject,
                text: message.body,
                messageId: payoutMessageId(email.id),
              };
              try {
                await inSpan(
                  tracer,
                  'send payout email',
                  {
                    kind: SpanKind.CLIENT,
                    parent: contextOf(email.traceId ?? undefined),
                    attributes: { 'ates.email_id': email.id },
                  },
                  () => options.transport.sendMail(mail),
                );
                return { email, failure: undefined };
              } catch (error) {
                return { email, failure: error instanceof Error ? error.message : String(error) };
              }
            }),
          );
          const delivered = outcomes.filter(({ failure }) => failure === undefined);
          await markSent(
            tx,
            delivered.map(({ email }) => ({ id: email.id, to: email.email })),
          );
          sent = delivered.length;
          for (const { email, failure } of outcomes) {
            if (failure === undefined) continue;
            options.logger.warn({ email: email.id, reason: failure }, 'email not delivered; will retry');
            await markFailed(tx, email.id, failure, nextAttemptDelaySeconds(email.attempts + 1));
          }
        });
        if (sent > 0) continue;
      } catch (error) {
        options.logger.error({ err: error }, 'email sender failed; retrying');
      }
      await work.wait(options.pollMs);
    }
  };
  const running = run();
  return {
    wake: () => work.wake(),
    async stop() {
      stopped = true;
      work.wake();
      await running;
    },
  };
}
