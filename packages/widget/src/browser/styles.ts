/*
 * The widget's whole stylesheet, inside its shadow root. Page CSS cannot
 * select anything in here; the only things that cross the boundary are
 * inherited properties, which `.st` sets explicitly (font-family is left to
 * inherit on purpose, so the widget matches the page's type), and the
 * --stammtisch-* custom properties, which are the theming interface.
 * Live regions (.status, .fm) stay rendered while empty: screen readers may
 * miss the first message of a region that was display:none.
 */
const dark =
  '--a:var(--stammtisch-accent,#79b8ff);--oa:var(--stammtisch-on-accent,#0d1117);--bg:var(--stammtisch-bg,#16191d);' +
  '--fg:var(--stammtisch-fg,#e6edf3);--mu:var(--stammtisch-muted,#9ea7b3);--er:var(--stammtisch-error,#ff9b94);' +
  '--bd:var(--stammtisch-border,#6e7681);--ln:var(--stammtisch-line,#30363d);--hl:var(--stammtisch-highlight,#1f242b);' +
  'color-scheme:dark';

export const css = `:host{display:block!important;visibility:visible!important;opacity:1!important}
:host([hidden]){display:none!important}
.st{--a:var(--stammtisch-accent,#0a58ca);--oa:var(--stammtisch-on-accent,#fff);--bg:var(--stammtisch-bg,#fff);--fg:var(--stammtisch-fg,#1f2328);--mu:var(--stammtisch-muted,#57606a);--er:var(--stammtisch-error,#b42318);--bd:var(--stammtisch-border,#8c959f);--ln:var(--stammtisch-line,#d0d7de);--hl:var(--stammtisch-highlight,#f6f8fa);--r:var(--stammtisch-radius,6px);
display:block;box-sizing:border-box;margin:0;padding:var(--stammtisch-padding,1rem);background:var(--bg);color:var(--fg);color-scheme:light;border-radius:var(--r);
font-family:var(--stammtisch-font);font-size:var(--stammtisch-font-size,1rem);font-weight:400;font-style:normal;line-height:1.5;letter-spacing:normal;word-spacing:normal;text-align:start;text-indent:0;text-transform:none;text-shadow:none;white-space:normal;overflow-wrap:anywhere;cursor:auto}
.st[data-t=dark]{${dark}}
@media (prefers-color-scheme:dark){.st[data-t=auto]{${dark}}}
.st *,.st *::before,.st *::after{box-sizing:inherit}
[hidden]{display:none!important}
h2,h3{font-size:1.25em;line-height:1.3;margin:0 0 .75em;color:var(--fg)}
h3{font-size:1.05em}
p{margin:0 0 .5em}
a{color:var(--a)}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
form{margin:0 0 1.5em}
.rp form{margin:.75em 0 1em}
.f{margin:0 0 .75em}
label{display:block;font-weight:600;margin:0 0 .25em}
input,textarea,select{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--bd);border-radius:var(--r);padding:.45em .6em;margin:0;max-width:100%}
input,textarea{display:block;width:100%}
.ck{display:flex;gap:.5em;align-items:center}.ck input{width:auto}
textarea{min-height:7em;resize:vertical}
input[readonly]{border-style:dashed}
[aria-invalid=true]{border-color:var(--er);box-shadow:0 0 0 1px var(--er)}
.hp{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.fe,.er{color:var(--er);margin:.25em 0 0}
.fe:empty{display:none}
.mu,time,.v{color:var(--mu);font-size:.875em}
.hint{margin:.25em 0 0}
.act{display:flex;flex-wrap:wrap;gap:1em;align-items:center}
button{font:inherit;cursor:pointer;margin:0}
.btn{background:var(--a);color:var(--oa);border:0;border-radius:var(--r);padding:.5em 1.1em;font-weight:600}
.btn:disabled{opacity:.7;cursor:progress}
.lnk{background:none;border:0;padding:.2em 0;color:var(--a);text-decoration:underline}
.sec{background:none;border:1px solid var(--a);color:var(--a);border-radius:var(--r);padding:.45em 1em;margin-top:1em}
.fm{margin:.5em 0 0;color:var(--er)}
.fm:empty,.status:empty{margin:0;padding:0;border:0}
.status{padding:.5em .75em;border-left:3px solid var(--a);background:var(--hl);margin:0 0 1em}
.bar{display:flex;gap:.5em;align-items:center;justify-content:flex-end;margin:0 0 .5em}
.bar label{display:inline;font-weight:400}
ol{list-style:none;margin:0;padding:0}
.pg+.pg{content-visibility:auto;contain-intrinsic-size:auto 450em}
.c ol{margin:0 0 0 .5em;padding:0 0 0 1em;border-left:2px solid var(--ln)}
article{padding:.75em 0;border-top:1px solid var(--ln)}
.c ol article{border-top:0;padding-bottom:.25em}
.m{display:flex;flex-wrap:wrap;gap:.15em .6em;align-items:baseline;margin:0 0 .25em}
.n{font-weight:600}
.p>article{background:var(--hl);border:1px dashed var(--bd);border-radius:var(--r);padding:.75em}
.badge{font-size:.8em;font-weight:600;color:var(--fg);border:1px solid var(--bd);border-radius:1em;padding:0 .6em}
.b p,.b ul,.b ol,.b blockquote,.b pre{margin:0 0 .6em}
.b ul,.b ol{padding-left:1.5em;border:0;margin-left:0}
.b ul{list-style:disc}.b ol{list-style:decimal}
.b blockquote{margin-left:0;padding-left:.8em;border-left:3px solid var(--ln);color:var(--mu)}
.b code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:var(--hl);padding:.1em .3em;border-radius:3px}
.b pre{overflow:auto;background:var(--hl);padding:.6em;border-radius:var(--r)}
.b pre code{padding:0}
.b img{max-width:100%;height:auto}
.pre{white-space:pre-wrap}
.closed{font-style:italic}
.av{width:24px;height:24px;border-radius:50%;align-self:center}
.vt{background:none;border:1px solid var(--ln);border-radius:1em;padding:0 .6em;color:var(--fg)}
.vt[aria-pressed=true]{border-color:var(--a);color:var(--a);font-weight:600}
.pin{border-color:var(--a)}
`;
