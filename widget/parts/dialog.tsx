/**
 * `tab` mode's dialog, loaded when the page is idle or when the tab is pressed, and the tab
 * stepping aside from focused content. The WAI-ARIA dialog pattern, from the platform: a modal
 * <dialog> keeps the page inert, closes on Escape, and gives focus back to the tab.
 */
import { type Child, h } from '../dom';
import type { Messages } from '../messages';

/** The dialog's own rules, added to the widget's stylesheet when this part loads. */
export const css =
  'dialog{width:44em;color:inherit;background:var(--tellus-background)}::backdrop{background:#0b0c0cb3}.close{float:right}';

interface Props {
  t: Messages;
  children: Child;
}

/** What can take focus by Tab inside the dialog, in order (a radio group counts by its checked one). */
function tabStops(dialog: Element): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>('a[href],button,input,textarea,[tabindex="0"]')].filter(
    (element) =>
      !(element as HTMLInputElement).disabled &&
      !element.hidden &&
      element.getClientRects().length > 0 &&
      !((element as HTMLInputElement).type === 'radio' && !(element as HTMLInputElement).checked),
  );
}

/**
 * Tab from the last control wraps round to the first, and Shift+Tab from the first to the last, so
 * focus never leaves for the browser's own toolbar.
 */
function wrap(event: KeyboardEvent) {
  if (event.key !== 'Tab') return;
  const dialog = event.currentTarget as HTMLDialogElement;
  const stops = tabStops(dialog);
  const active = (dialog.getRootNode() as ShadowRoot).activeElement;
  const first = stops[0];
  const last = stops[stops.length - 1];
  const radios = (element?: Element | null) => (element as HTMLInputElement | null)?.type === 'radio';
  // In a radio group only one radio is a tab stop; whichever has focus stands for the group.
  if (event.shiftKey ? active === first : active === last || (radios(active) && radios(last))) {
    event.preventDefault();
    (event.shiftKey ? last : first)?.focus();
  }
}

/**
 * Focus that leaves the open dialog for nothing (a click on the backdrop) comes back to it, but
 * only while the document has focus: when the citizen switches to another window, focus stays
 * where they left it.
 */
function back(event: FocusEvent) {
  const dialog = event.currentTarget as HTMLDialogElement;
  if (event.relatedTarget) return;
  setTimeout(() => {
    const root = dialog.getRootNode() as ShadowRoot;
    if (dialog.open && document.hasFocus() && !dialog.contains(root.activeElement))
      tabStops(dialog)[0]?.focus();
  });
}

export function Dialog({ t, children }: Props): Node {
  return (
    <dialog id="dialog" aria-labelledby="heading" onKeyDown={wrap} onFocusOut={back}>
      <form method="dialog">
        <button type="submit" class="secondary close">
          {t.close}
        </button>
      </form>
      {children}
    </dialog>
  );
}

/**
 * The tab never hides what has focus (WCAG 2.4.11 Focus Not Obscured): it steps aside while the
 * focused element, anywhere on the page, overlaps it or reaches below it (the browser is about to
 * scroll it in), and looks again as the page scrolls or resizes. `aside` hears each change.
 */
export function dodge(root: ShadowRoot, aside: (hidden: boolean) => void) {
  let frame = 0;
  let hidden = false;
  const check = () => {
    frame = 0;
    const tab = root.getElementById('tab');
    let focused = document.activeElement;
    if (!tab || !focused) return;
    // Focus inside the widget (the tab itself, or the dialog) never moves the tab.
    const mine = focused === root.host;
    while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement;
    const box = tab.getBoundingClientRect();
    const area = focused.getBoundingClientRect();
    const next =
      !mine &&
      focused !== document.body &&
      area.right > box.left &&
      area.left < box.right &&
      area.bottom > box.top;
    if (next !== hidden) {
      hidden = next;
      aside(hidden);
    }
  };
  const soon = () => {
    frame ||= requestAnimationFrame(check);
  };
  addEventListener('focusin', check);
  addEventListener('focusout', soon);
  addEventListener('scroll', soon, { passive: true });
  addEventListener('resize', soon, { passive: true });
  check();
  return () => {
    cancelAnimationFrame(frame);
    removeEventListener('focusin', check);
    removeEventListener('focusout', soon);
    removeEventListener('scroll', soon);
    removeEventListener('resize', soon);
  };
}
