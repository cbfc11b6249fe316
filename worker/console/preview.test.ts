// The preview page: the widget as citizens see it, in each mode and language, under a policy of its
// own that lets in the widget's script and nothing else; for admins of the service's department.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { services } from '../db/schema';
import { checkPreviewToken } from '../spam/preview-token';
import { CONSOLE_ORIGIN, call, READER, setUpConsole, signIn } from '../test/console';
import { TEST_TELLUS_SECRET } from '../test/constants';
import { insertStory } from '../test/seed';
import { CONSOLE_CSP } from './routes';

let db: Db;
let cookie: string;
beforeEach(async () => {
  db = await setUpConsole();
  cookie = await signIn();
});

const PATH = '/console/services/missed-bin-collection/preview';
const scriptOf = (html: string) => html.match(/<script [^>]*><\/script>/)?.[0] ?? '';

describe('the preview page', () => {
  it('shows the widget in the mode and language asked for, with a preview token for this service', async () => {
    const page = await call(`${PATH}?mode=tab&lang=cy`, { cookie });
    expect(page.status).toBe(200);
    const script = scriptOf(page.text);
    expect(script).toMatch(
      /^<script src="\/v1\/widget\.js" data-service="missed-bin-collection" data-mode="tab" data-lang="cy" data-preview="[\w.-]+" async=""><\/script>$/,
    );
    const token = script.match(/data-preview="([^"]+)"/)?.[1] ?? '';
    expect(await checkPreviewToken(TEST_TELLUS_SECRET, 'missed-bin-collection', token, Date.now())).toBe(
      'ok',
    );
    // Links to every other mode and language, the one shown marked.
    expect(page.text).toContain(`href="${PATH}?mode=useful&amp;lang=cy"`);
    expect(page.text).toContain(`href="${PATH}?mode=tab&amp;lang=en"`);
    expect(page.text).toMatch(/href="[^"]+mode=tab&amp;lang=cy" aria-current="page"/);
  });

  it('lets the widget’s script and requests in with a policy of its own, while other console pages keep the console’s', async () => {
    const page = await call(PATH, { cookie });
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toBe(
      `default-src 'none'; script-src ${CONSOLE_ORIGIN}/v1/; connect-src ${CONSOLE_ORIGIN}/v1/; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(scriptOf(page.text)).toContain('data-mode="inline"');
    const embed = await call('/console/services/missed-bin-collection/embed', { cookie });
    expect(embed.headers.get('Content-Security-Policy')).toBe(CONSOLE_CSP);
  });

  it('lets in Turnstile’s script and frame for a service that has it on', async () => {
    await db
      .update(services)
      .set({ turnstileSitekey: '1x00000000000000000000AA' })
      .where(eq(services.id, 'missed-bin-collection'));
    const csp = (await call(PATH, { cookie })).headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain(
      `script-src ${CONSOLE_ORIGIN}/v1/ https://challenges.cloudflare.com; connect-src ${CONSOLE_ORIGIN}/v1/;`,
    );
    expect(csp).toContain('frame-src https://challenges.cloudflare.com;');
  });

  it('lists the tests sent from it, tagged, and no story of a citizen', async () => {
    await insertStory(db, { story: 'A test from the preview', test: true });
    await insertStory(db, { story: 'A citizen’s own story' });
    const page = await call(PATH, { cookie });
    expect(page.text).toContain('A test from the preview');
    expect(page.text).toContain('<strong class="govuk-tag govuk-tag--grey">Test</strong>');
    expect(page.text).not.toContain('A citizen’s own story');
  });

  it('answers a mode or language it does not have with the error summary, and no widget nor script', async () => {
    const page = await call(`${PATH}?mode=stories&lang=fr`, { cookie });
    expect(page.status).toBe(422);
    expect(page.text).toContain('<a href="#modes">Choose how to show the widget: inline, tab, useful</a>');
    expect(page.text).toContain('<a href="#languages">Choose English (en) or Welsh (cy)</a>');
    expect(scriptOf(page.text)).toBe('');
    expect(page.headers.get('Content-Security-Policy')).toBe(CONSOLE_CSP);
  });

  it('is for admins: a member is refused, and another department’s service is not found', async () => {
    const member = await call(PATH, { cookie: await signIn(READER) });
    expect(member.status).toBe(403);
    expect(member.text).not.toContain('data-preview');
    expect(member.headers.get('Content-Security-Policy')).toBe(CONSOLE_CSP);
    const elsewhere = await call('/console/services/parking-permit/preview', { cookie });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.text).not.toContain('data-preview');
  });
});
