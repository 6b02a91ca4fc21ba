import {
  createInbox,
  headers,
  type Msg,
  type NatsConnection,
  PermissionViolationError,
  type Subscription,
} from '@nats-io/transport-node';
import type { OutgoingMessage } from '../port.ts';

interface Awaiting {
  subject: string;
  resolve(): void;
  reject(error: Error): void;
}

/** What JetStream answers a publish with: where it stored it, or why it did not. */
interface PubAck {
  stream?: string;
  error?: { code: number; description: string };
}

/**
 * Publishes to JetStream and awaits each acknowledgement, many at once, through one reply
 * subscription. A JetStream publish is a core publish with a reply subject, answered with
 * a PubAck; the client's `js.publish` makes it a request, which builds a request, a timer
 * and, once the answer has come, an error with a stack trace that nobody sees (nats-core
 * 3.4's RequestOne.cancel): 4 % of the task tracker's CPU under create load. Here a
 * publish is an entry in a map, and a window of them shares one timer.
 */
export class JetStreamPublisher {
  private readonly prefix = `${createInbox()}.`;
  private readonly awaiting = new Map<string, Awaiting>();
  private readonly replies: Subscription;
  private counter = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly headerNames: { key: string; name: string },
  ) {
    this.replies = connection.subscribe(`${this.prefix}*`, { callback: (error, reply) => this.settle(error, reply) });
    // The status stream ends with the connection; nothing is left to hear then.
    this.hearRefusals().catch(() => undefined);
  }

  /**
   * Publishes the messages at once, in order on one connection, and resolves when
   * JetStream has stored every one; rejects when one is refused or `timeoutMs` passes
   * first. The caller publishes again what it is unsure of: JetStream drops a copy of an
   * event id it has already stored.
   */
  async publishAll(
    messages: readonly { subject: string; message: OutgoingMessage }[],
    timeoutMs: number,
  ): Promise<void> {
    const tokens: string[] = [];
    const stored = messages.map(
      ({ subject, message }) =>
        new Promise<void>((resolve, reject) => {
          this.counter += 1;
          const token = String(this.counter);
          tokens.push(token);
          this.awaiting.set(token, { subject, resolve, reject });
          const meta = headers();
          meta.set('Nats-Msg-Id', message.id);
          meta.set(this.headerNames.key, message.key);
          meta.set(this.headerNames.name, message.name);
          this.connection.publish(subject, message.body, { reply: this.prefix + token, headers: meta });
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`JetStream did not acknowledge publishes within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([Promise.all(stored), expired]);
    } finally {
      clearTimeout(timer);
      // Answers that never came, or came after a refusal, are not waited for any more.
      for (const token of tokens) this.awaiting.delete(token);
    }
  }

  close(): void {
    this.replies.unsubscribe();
    this.failAll(new Error('the connection to NATS was closed'));
  }

  /** Fails every publish still awaiting its answer. */
  private failAll(error: Error): void {
    for (const { reject } of this.awaiting.values()) reject(error);
    this.awaiting.clear();
  }

  /**
   * A user may publish only the events it owns: the server refuses the others with an
   * error on the connection, naming the subject, and answers nothing. Publishes to it
   * fail at once with that reason instead of at the timeout.
   */
  private async hearRefusals(): Promise<void> {
    for await (const status of this.connection.status()) {
      const error = status.type === 'error' ? status.error : undefined;
      if (!(error instanceof PermissionViolationError) || error.operation !== 'publish') continue;
      for (const [token, awaiting] of this.awaiting)
        if (awaiting.subject === error.subject) {
          this.awaiting.delete(token);
          awaiting.reject(error);
        }
    }
  }

  private settle(error: Error | null, reply: Msg | undefined): void {
    if (error) {
      // The reply subscription itself failed (say, a permission): nothing will be answered.
      this.failAll(error);
      return;
    }
    const token = reply?.subject.slice(this.prefix.length) ?? '';
    const awaiting = this.awaiting.get(token);
    if (!reply || !awaiting) return;
    this.awaiting.delete(token);
    const refusal = refusalIn(reply, awaiting.subject);
    if (refusal) awaiting.reject(refusal);
    else awaiting.resolve();
  }
}

/** Why JetStream did not store a publish, from its answer; undefined when it did. */
function refusalIn(reply: Msg, subject: string): Error | undefined {
  // No JetStream listens on the subject: the server answers for it with a 503 status.
  if (reply.data.length === 0 && reply.headers?.code === 503) return new Error(`no JetStream stream takes ${subject}`);
  let ack: PubAck;
  try {
    ack = reply.json<PubAck>();
  } catch {
    return new Error(`JetStream answered a publish to ${subject} with something not JSON`);
  }
  if (ack.error) return new Error(`JetStream refused a publish to ${subject}: ${ack.error.description}`);
  if (!ack.stream) return new Error(`JetStream answered a publish to ${subject} without a stream`);
  return undefined;
}
