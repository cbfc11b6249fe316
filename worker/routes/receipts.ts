/**
 * `/v1/receipts/:code`: a citizen's own story, by the receipt code the widget showed them. JSON for
 * programs; a plain page for a person's browser, with a button that deletes the story.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Locale } from '../../shared';
import { answersTo } from '../db/department';
import { deleteStory, findByReceipt } from '../db/receipts';
import type { AppEnv } from '../env';
import { problem } from '../problem';
import { sha256Hex } from '../spam/keys';

export const receiptRoutes = new Hono<AppEnv>();

/**
 * The address of a receipt's page, under the worker's public URL: the `receipt_url` that
 * `POST /v1/feedback` and `POST /v1/receipts/lookup` give.
 */
export function receiptUrl(env: Pick<Env, 'PUBLIC_URL'>, code: string): string {
  return `${env.PUBLIC_URL.replace(/\/+$/, '')}/v1/receipts/${code}`;
}

// The receipt code in the address is the only key to the story: keep it out of Referer headers,
// caches and search engines, and let nothing run on the page.
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Robots-Tag': 'noindex',
  'X-Content-Type-Options': 'nosniff',
};

const WORDS = {
  en: {
    title: 'Your story',
    service: 'Service',
    sent: 'Sent',
    status: 'Status',
    rating: 'Rating',
    story: 'Your story',
    none: '(no story, a rating only)',
    answer: 'The team’s answer',
    changed: 'What changed',
    statuses: { new: 'Received', acknowledged: 'Read by the team', answered: 'Answered', closed: 'Closed' },
    ratings: ['Very poor', 'Poor', 'Neither good nor poor', 'Good', 'Very good'],
    deleteHint: 'You can delete your story. It is removed at once and is not sent anywhere else.',
    delete: 'Delete my story',
    deleted: 'Your story has been deleted',
    missing: 'There is no story with this receipt. It may have been deleted.',
  },
  cy: {
    title: 'Eich stori',
    service: 'Gwasanaeth',
    sent: 'Anfonwyd',
    status: 'Statws',
    rating: 'Sgôr',
    story: 'Eich stori',
    none: '(dim stori, sgôr yn unig)',
    answer: 'Ateb y tîm',
    changed: 'Beth newidiodd',
    statuses: {
      new: 'Wedi dod i law',
      acknowledged: "Wedi'i darllen gan y tîm",
      answered: 'Wedi ateb',
      closed: 'Wedi cau',
    },
    ratings: ['Gwael iawn', 'Gwael', 'Ddim yn dda nac yn wael', 'Da', 'Da iawn'],
    deleteHint: 'Gallwch ddileu eich stori. Caiff ei dileu ar unwaith ac ni chaiff ei hanfon i unman arall.',
    delete: 'Dileu fy stori',
    deleted: "Mae eich stori wedi'i dileu",
    missing: "Does dim stori gyda'r dderbynneb hon. Efallai ei bod wedi'i dileu.",
  },
} satisfies Record<Locale, unknown>;

/** True when the client asked for a page rather than JSON (a browser following the link). */
const wantsPage = (accept: string | undefined) => /text\/html/.test(accept ?? '');

function page(lang: Locale, title: string, body: unknown) {
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

async function storyOr404(c: { var: AppEnv['Variables'] }, code: string) {
  return findByReceipt(c.var.db, await sha256Hex(code));
}

receiptRoutes.get('/:code', async (c) => {
  const story = await storyOr404(c, c.req.param('code'));
  if (!story) {
    if (wantsPage(c.req.header('Accept'))) {
      return c.html(page('en', WORDS.en.missing, ''), 404, PAGE_HEADERS);
    }
    throw problem(404, 'not-found', { detail: 'There is no story with this receipt' });
  }
  const answers = (await answersTo(c.var.db, story.id)).map((answer) => ({
    text: answer.text,
    changed: answer.changed,
    change: answer.change,
    created_at: answer.createdAt,
  }));
  if (!wantsPage(c.req.header('Accept'))) {
    c.header('Cache-Control', 'no-store');
    return c.json({
      answers,
      id: story.id,
      service: { id: story.serviceId, name: story.serviceName },
      status: story.status,
      rating: story.rating,
      story: story.story,
      locale: story.locale,
      created_at: story.createdAt,
    });
  }
  const t = WORDS[story.locale];
  const body = html`<dl>
<dt>${t.service}</dt><dd>${story.serviceName}</dd>
<dt>${t.sent}</dt><dd>${story.createdAt.slice(0, 10)}</dd>
<dt>${t.status}</dt><dd>${t.statuses[story.status]}</dd>
<dt>${t.rating}</dt><dd>${t.ratings[story.rating - 1]}</dd>
<dt>${t.story}</dt><dd>${story.story ?? t.none}</dd>
</dl>
${answers.map(
  (answer) =>
    html`<h2>${t.answer}</h2><p>${answer.text}</p>${
      answer.change ? html`<h3>${t.changed}</h3><p>${answer.change}</p>` : ''
    }`,
)}
<p>${t.deleteHint}</p>
<form method="post" action="/v1/receipts/${c.req.param('code')}/delete"><button>${t.delete}</button></form>`;
  return c.html(page(story.locale, t.title, body), 200, PAGE_HEADERS);
});

receiptRoutes.delete('/:code', async (c) => {
  const story = await storyOr404(c, c.req.param('code'));
  if (!story) throw problem(404, 'not-found', { detail: 'There is no story with this receipt' });
  await deleteStory(c.var.db, story.id);
  return c.body(null, 204);
});

/** The page's delete button: forms cannot send DELETE. */
receiptRoutes.post('/:code/delete', async (c) => {
  const story = await storyOr404(c, c.req.param('code'));
  if (!story) return c.html(page('en', WORDS.en.missing, ''), 404, PAGE_HEADERS);
  await deleteStory(c.var.db, story.id);
  return c.html(page(story.locale, WORDS[story.locale].deleted, ''), 200, PAGE_HEADERS);
});
