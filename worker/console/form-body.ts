/**
 * Reading a console form's body, in one place: a body that cannot be read (a broken multipart
 * body, say) is the sender's mistake, answered 400 with the form shown again, never a 500.
 */
import type { Context, Env, ErrorHandler } from 'hono';

/** What the page says when the form it sent could not be read. */
export const UNREADABLE_FORM = 'The form could not be read, so nothing was changed. Send it again.';

export class UnreadableForm extends Error {
  override name = 'UnreadableForm';
}

/** The form's text fields; files and repeated names beyond the first are left out. */
export async function readFields(c: Context): Promise<Record<string, string>> {
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody();
  } catch (err) {
    throw new UnreadableForm('The form body could not be parsed', { cause: err });
  }
  return Object.fromEntries(
    Object.entries(body).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );
}

/**
 * An error handler for a group of console routes: an unreadable form is answered by `showAgain`,
 * which shows the page the form is on with `UNREADABLE_FORM` (status 400); other errors go on up.
 */
export function showFormAgain<E extends Env>(
  showAgain: (c: Context<E>, text: string) => Response | Promise<Response>,
): ErrorHandler<E> {
  return (err, c) => {
    if (err instanceof UnreadableForm) return showAgain(c, UNREADABLE_FORM);
    throw err;
  };
}
