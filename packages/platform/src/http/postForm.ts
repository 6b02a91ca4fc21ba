import type { FastifyReply } from 'fastify';
import { RuleBroken } from '../errors/index.ts';
import type { Notice } from '../views/index.ts';
import { httpStatusOf } from './httpStatusOf.ts';
import { sendPage } from './sendPage.ts';

/**
 * A form post done the one way every dashboard does it: the work, then a 303 to the page that
 * shows the outcome (so a reload does not post again); a broken rule instead shows the form
 * again with the reason and what the person typed. Anything else is the shell's error page.
 */
export async function postForm(
  reply: FastifyReply,
  work: () => Promise<string>,
  showAgain: (notice: Notice) => Promise<string>,
): Promise<FastifyReply> {
  let location: string;
  try {
    location = await work();
  } catch (error) {
    if (!(error instanceof RuleBroken)) throw error;
    return sendPage(reply.status(httpStatusOf(error)), await showAgain({ kind: 'error', text: error.message }));
  }
  return reply.redirect(location, 303);
}

/** The notice a page was redirected with (`?done=created`), if it is one the page knows. */
export function noticeOf(done: string | undefined, notices: Record<string, string>): Notice | undefined {
  const text = done ? notices[done] : undefined;
  return text ? { kind: 'info', text } : undefined;
}
