/**
 * JSX for plain DOM: each tag makes the element itself, not a description of it to compare with
 * the last one. The widget's views are built once and changed where they change (GOV.UK Frontend's
 * way), so the first paint carries no framework and does no diffing on the page's main thread.
 *
 * Props: `class`, `for`, `tabindex` and `aria-*` are set as attributes (use their HTML names);
 * `onX` adds a listener for `x`; `value` and `checked` set the property; an `href` that is not an
 * http(s) address or a `#` link is left out. `false`, `null` and `undefined` add nothing, as props
 * and as children.
 */

export type Child = Node | string | number | boolean | null | undefined | Child[];
type Props = Record<string, unknown> & { children?: Child };
type Component = (props: Props) => Node;

function appendTo(parent: Node, children: Child[]) {
  for (const child of children) {
    if (Array.isArray(child)) appendTo(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else if (child != null && child !== false && child !== true)
      parent.appendChild(document.createTextNode(`${child}`));
  }
}

export function h(tag: string | Component, props: Props | null, ...children: Child[]): Node {
  if (typeof tag === 'function') return tag({ ...props, children });
  const element = document.createElement(tag);
  for (const name in props) {
    const value = props[name];
    if (value == null || value === false) continue;
    if (name[0] === 'o' && name[1] === 'n')
      element.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    // A link goes to a web address or within the widget, never to script (`javascript:`).
    else if (name === 'href' && !/^(https?:|#)/i.test(`${value}`)) continue;
    else if (name === 'value' || name === 'checked')
      (element as unknown as Record<string, unknown>)[name] = value;
    else element.setAttribute(name, value === true ? '' : `${value}`);
  }
  appendTo(element, children);
  return element;
}

export function Fragment({ children }: Props): Node {
  const fragment = document.createDocumentFragment();
  appendTo(fragment, [children]);
  return fragment;
}

/** Puts `children` in place of what `parent` holds. */
export function fill(parent: Node, ...children: Child[]) {
  parent.textContent = '';
  appendTo(parent, children);
}

/**
 * Adds stylesheets to a shadow root, after those it has. A browser without constructable
 * stylesheets (Safari before 16.4) shows the widget unstyled but whole: its own markup, labels and
 * controls still work.
 */
export function adopt(root: ShadowRoot, ...rules: string[]) {
  try {
    root.adoptedStyleSheets = [
      ...root.adoptedStyleSheets,
      ...rules.map((text) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(text);
        return sheet;
      }),
    ];
  } catch {}
}

export declare namespace h {
  namespace JSX {
    type Element = Node;
    interface IntrinsicElements {
      [tag: string]: Record<string, unknown>;
    }
    interface ElementChildrenAttribute {
      children: unknown;
    }
  }
}
