import { beforeEach, describe, expect, it } from 'vitest';
import { call, setUpConsole, signIn } from '../test/console';
import { submitStory } from '../test/seed';

beforeEach(async () => {
  await setUpConsole();
});

const PROBE = 'Probe<b>injected</b> by the address bar';

describe('banners from the query string', () => {
  it('show only fixed words chosen by a code, never text from the URL', async () => {
    const cookie = await signIn();
    const id = await submitStory('A story.');
    const probe = encodeURIComponent(PROBE);
    for (const path of [
      `/console/subscriptions?done=test-failed&error=${probe}`,
      `/console/subscriptions?done=${probe}`,
      `/console/stories/${id}?done=${probe}`,
      `/console/stories/${id}?done=answered&error=${probe}`,
      `/console/sign-in?signed-out=${probe}`,
    ]) {
      const res = await call(path, { cookie });
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain('Probe');
      expect(res.text, path).not.toContain('injected');
    }
    const failed = await call('/console/subscriptions?done=test-failed', { cookie });
    expect(failed.text).toContain('The test event was not received');
  });

  it('show nothing for a code that is not one of theirs, even one every object has', async () => {
    const cookie = await signIn();
    const id = await submitStory('A story.');
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      for (const path of [`/console/subscriptions?done=${code}`, `/console/stories/${id}?done=${code}`]) {
        const res = await call(path, { cookie });
        expect(res.text, path).not.toContain('govuk-notification-banner');
        expect(res.text, path).not.toMatch(/native code|\[object/);
      }
    }
  });
});
