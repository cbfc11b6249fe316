/**
 * `tab` mode in the first paint: the tab itself, plain DOM, and what puts the form in the dialog
 * once the dialog's part has loaded (when the page is idle, or when the tab is pressed). Without
 * that part, the form shows in the page instead: it still works.
 */
import { adopt, Fragment, h } from './dom';
import { load } from './load';
import type { Messages } from './messages';
import type { Parts } from './parts';

export interface Tab {
  /** What the shadow root holds: the tab, and the dialog once it is there. */
  content: Node;
  tab: HTMLElement;
  /** Loads the dialog if it is not there yet; true when the form is in it. */
  ready(): Promise<boolean>;
  stop(): void;
}

/** Loaded once for the page; `false` when it could not load. */
let dialog: Parts['dialog'] | false | undefined;

export function startTab(root: ShadowRoot, t: Messages, section: Element, show: () => void): Tab {
  const tab = h('button', { type: 'button', class: 'tab', id: 'tab', onClick: show }, t.tab) as HTMLElement;
  let stopDodge: (() => void) | undefined;
  let stopped = false;

  function place(part: Parts['dialog'] | false) {
    // Once: the form is in the page already, in the dialog or after the tab.
    if (stopped || section.isConnected) return;
    if (!part) {
      tab.after(section);
      return;
    }
    adopt(root, part.css);
    tab.after(part.Dialog({ t, children: section }));
    stopDodge = part.dodge(root, (hidden) => tab.classList.toggle('aside', hidden));
  }

  async function ready() {
    if (dialog === undefined) {
      dialog = await load('dialog').catch(() => false as const);
    }
    if (!root.getElementById('dialog')) place(dialog);
    return dialog !== false;
  }

  return {
    content: h(Fragment, null, tab),
    tab,
    ready,
    stop() {
      stopped = true;
      stopDodge?.();
    },
  };
}
