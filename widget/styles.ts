/** The widget's stylesheet, adopted by its shadow root; hosts theme it with --tellus-* properties. */

// The host element is reset with !important, which beats any page rule aimed at it; the page can
// still set the --tellus-* properties (custom properties are not reset by `all`).
export const css = `:host{--tellus-text:#0b0c0c;--tellus-secondary:#484949;--tellus-background:#fff;--tellus-accent:#1d70b8;--tellus-button:#00703c;--tellus-error:#d4351c;--tellus-focus:#fd0;--tellus-font:system-ui,sans-serif;all:initial!important;display:block!important;margin:2em 0!important;color:var(--tellus-text)!important;background:var(--tellus-background)!important;font:400 max(16px,1rem)/1.5 var(--tellus-font)!important;direction:ltr!important}@media (prefers-color-scheme:dark){:host{--tellus-text:#f3f2f1;--tellus-secondary:#b1b4b6;--tellus-background:#0b0c0c;--tellus-accent:#5694ca;--tellus-error:#f47738;color-scheme:dark!important;padding:0 1em 1em!important}}*{box-sizing:border-box}section{max-width:40em;border-top:4px solid var(--tellus-accent)}h2{font-size:1.5em;margin:1em 0}h3,legend,label[for=story]{font-weight:700;font-size:1.125em;margin:0 0 .5em;padding:0}p{margin:0 0 1em}fieldset{border:0;margin:0;padding:0}.group{margin-bottom:1.5em}.error,.failed{border-left:5px solid var(--tellus-error);padding-left:.75em}.hint{color:var(--tellus-secondary);margin-bottom:.5em}.radio{display:flex;align-items:center;margin-bottom:.5em}.radio input{width:2.5em;height:2.5em;margin:0 .5em 0 0;accent-color:currentColor}textarea{display:block;width:100%;padding:.4em;font:inherit;color:inherit;background:var(--tellus-background);border:2px solid}.error textarea{border-color:var(--tellus-error)}button{font:inherit;font-size:1.1875em;padding:.5em .75em;border:2px solid transparent;color:#fff;background:var(--tellus-button);box-shadow:0 2px #002d18}:focus{outline:3px solid var(--tellus-focus)}textarea:focus{box-shadow:inset 0 0 0 2px}input:focus{outline-color:currentColor;outline-offset:2px;box-shadow:0 0 0 7px var(--tellus-focus)}button:focus,a:focus{outline-color:transparent;color:#0b0c0c;background:var(--tellus-focus);box-shadow:0 3px #0b0c0c}a,.error-message,.over{color:var(--tellus-error);font-weight:700}.error-message{margin:0 0 .5em}.summary,.panel{border:5px solid var(--tellus-error);padding:1em;margin-bottom:1.5em}.panel{border-color:var(--tellus-button)}.check{border-color:var(--tellus-accent)}blockquote{margin:0 0 1em;padding-left:1em;border-left:4px solid var(--tellus-secondary);white-space:pre-wrap}.secondary{color:var(--tellus-text);background:var(--tellus-background);border-color:currentColor;box-shadow:none}.summary ul{margin:0;padding:0;list-style:none}.failed,.help{font-weight:700}:host([data-tellus=tab]){margin:0!important;padding:0!important}.tab{position:fixed;right:0;bottom:0;z-index:2147483647}.aside{visibility:hidden}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}`;

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
