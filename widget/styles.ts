/** The widget's stylesheet, adopted by its shadow root; hosts theme it with --tellus-* properties. */

export const css = `:host{all:initial!important;display:block!important;margin:2em 0!important;color:var(--tellus-text,#0b0c0c)!important;font:400 max(16px,1rem)/1.5 var(--tellus-font,system-ui,sans-serif)!important;text-align:start!important;visibility:visible!important}
*{box-sizing:border-box}
section{max-width:40em;border-top:4px solid var(--tellus-accent,#1d70b8)}
h2{font-size:1.5em;margin:1em 0}
h3{font-size:1.125em;margin:0 0 .5em}
p{margin:0 0 1em}
fieldset{border:0;margin:0;padding:0}
.group{margin-bottom:1.5em}
.error{border-left:5px solid var(--tellus-error,#d4351c);padding-left:.75em}
legend,label[for=tellus-story]{font-weight:700;font-size:1.125em;margin-bottom:.5em;padding:0}
.hint{color:#484949;margin-bottom:.5em}
.over{color:var(--tellus-error,#d4351c);font-weight:700}
.radio{display:flex;align-items:center;margin-bottom:.5em}
.radio input{width:2.5em;height:2.5em;margin:0 .5em 0 0;accent-color:currentColor}
textarea{display:block;width:100%;padding:.4em;font:inherit;color:inherit;border:2px solid}
.error textarea{border-color:var(--tellus-error,#d4351c)}
button{font:inherit;font-size:1.1875em;padding:.5em .75em;border:2px solid transparent;color:#fff;background:var(--tellus-button,#00703c);box-shadow:0 2px #002d18;cursor:pointer}
:focus{outline:3px solid var(--tellus-focus,#fd0)}
textarea:focus{box-shadow:inset 0 0 0 2px}
input:focus{outline-color:#0b0c0c;outline-offset:2px;box-shadow:0 0 0 7px var(--tellus-focus,#fd0)}
button:focus,a:focus{outline:0;color:#0b0c0c;background:var(--tellus-focus,#fd0);box-shadow:0 3px #0b0c0c}
a,.error-message{color:var(--tellus-error,#d4351c);font-weight:700}
.error-message{margin:0 0 .5em}
.summary,.panel{border:5px solid var(--tellus-error,#d4351c);padding:1em;margin-bottom:1.5em}
.panel p{font-weight:400}
.summary ul{margin:0;padding:0;list-style:none}
.panel{border-color:var(--tellus-button,#00703c)}
[role=status]{font-weight:700}
.failed{border-left:5px solid var(--tellus-error,#d4351c);padding-left:.75em}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}`;
