// Keyboard-only journeys: what has focus (inside the widget's shadow root too), and Tab until it is somewhere.
import type { Page } from 'playwright-core';

/** The element that has focus, looking inside the widget's shadow root. */
export function focused(page: Page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return {
      tag: active?.tagName.toLowerCase(),
      id: active?.id,
      name: active?.getAttribute('name'),
      value: (active as HTMLInputElement | null)?.value,
      text: active?.textContent?.trim(),
    };
  });
}

/** Presses Tab until focus is on an element matching `predicate`, as a keyboard user would. */
export async function tabTo(
  page: Page,
  predicate: (el: Awaited<ReturnType<typeof focused>>) => boolean,
  maxPresses = 30,
) {
  for (let presses = 0; presses < maxPresses; presses++) {
    await page.keyboard.press('Tab');
    if (predicate(await focused(page))) return;
  }
  throw new Error('Tab never reached the element');
}
