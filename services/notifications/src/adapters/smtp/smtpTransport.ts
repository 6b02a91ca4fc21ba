import { createTransport, type Transporter } from 'nodemailer';

/**
 * The SMTP client payout emails leave through: a pool of kept-open connections. A
 * connection per email paid the whole SMTP greeting each time (our own sink, like many
 * servers, holds its banner 100 ms to catch clients that talk too soon), so a close's
 * 100,000 emails would have taken hours to leave; over kept connections each takes
 * about 2 ms. The sender sends a batch side by side, so five connections (nodemailer's
 * default) carry five emails at once to a server a network away. Connections are renewed
 * every 100 messages, also its default, which providers' per-connection limits allow.
 */
export function smtpTransport(url: string): Transporter {
  return createTransport({ url, pool: true, maxConnections: 5 });
}
