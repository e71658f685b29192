/**
 * The moderation page's styles, served as a file (`/moderate/app.css`) so the
 * page's CSP can forbid inline style. The script is TypeScript in
 * packages/widget/src/moderate, built by esbuild like the widget.
 */
export const MODERATE_STYLES = `
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fafaf7; --muted: #666; --line: #ddd; --accent: #1f5fbf; --sel: #fff4c2; --cur: #e8f0ff; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #161616; --muted: #aaa; --line: #333; --accent: #7fb0ff; --sel: #4a4120; --cur: #1d2a40; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; background: var(--bg); border-bottom: 1px solid var(--line); }
header h1 { font-size: 1.05rem; margin: 0 1rem 0 0; }
header label { font-size: .85rem; color: var(--muted); }
header input, header select, button { font: inherit; padding: .2rem .4rem; }
#count { color: var(--muted); font-size: .9rem; }
#status { min-height: 1.4em; margin: 0; padding: .3rem 1rem; font-size: .9rem; }
#status.error { color: #b00020; }
main { max-width: 60rem; margin: 0 auto; padding: 0 1rem 4rem; }
ol#items { list-style: none; padding: 0; margin: 0; }
li.item { border: 1px solid var(--line); border-left: 4px solid transparent; border-radius: 4px; margin: .5rem 0; padding: .5rem .75rem; }
li.item.current { border-left-color: var(--accent); background: var(--cur); }
li.item.selected { background: var(--sel); }
.head { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; font-size: .9rem; }
.head .email, .head .site, .head .when { color: var(--muted); }
.head .thread { color: var(--accent); }
.score.high { color: #b00020; } .score.mid { color: #8a4b00; } .score.low { color: #1b5e20; }
.reports { color: #b00020; font-weight: 600; }
.badge { font-size: .75rem; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; }
.body { margin: .35rem 0; overflow-wrap: anywhere; }
.body p { margin: .3rem 0; }
ul.reasons { margin: .2rem 0 0; padding-left: 1.1rem; font-size: .82rem; color: var(--muted); }
ul.reasons li.against code { color: #b00020; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 3px; padding: 0 .3rem; font-size: .85em; }
#help { position: fixed; inset: 10% auto auto 50%; transform: translateX(-50%); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.5rem; box-shadow: 0 8px 30px rgba(0,0,0,.25); z-index: 2; }
#help[hidden] { display: none; }
#help dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }
#help dd { margin: 0; }
.signin { max-width: 26rem; margin: 15vh auto; padding: 1.5rem; border: 1px solid var(--line); border-radius: 6px; }
.signin input { width: 100%; margin: .5rem 0 1rem; }
.signin .error { color: #b00020; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .4rem; }
.actions button { border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); cursor: pointer; }
.actions button:hover, .toolbar button:hover { border-color: var(--accent); }
.actions .act-approve { color: #1b5e20; } .actions .act-reject { color: #444; } .actions .act-spam { color: #b00020; }
@media (prefers-color-scheme: dark) { .actions .act-approve { color: #8fd694; } .actions .act-reject { color: #ddd; } .actions .act-spam { color: #ff8a80; } }
button:focus-visible, input:focus-visible, select:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.head .mark { margin: 0; }
.badge.pinned, .badge.fresh-mark { color: var(--accent); border-color: var(--accent); }
details.versions { margin: .3rem 0; font-size: .85rem; }
details.versions summary { cursor: pointer; color: var(--muted); }
details.versions ol { margin: .3rem 0; padding-left: 1.2rem; }
.version-body { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0 .5rem; padding: .3rem .5rem; border-left: 3px solid var(--line); font: inherit; }
header form { margin: 0; }
fieldset.toolbar { border: 0; padding: 0; margin: .5rem 0; }
.toolbar { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
nav.views { display: flex; gap: .3rem; }
nav.views button[aria-pressed="true"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
nav.lang a { color: var(--accent); }
#stats-view .controls { display: flex; gap: 1rem; flex-wrap: wrap; margin: .75rem 0; }
.chart-box { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .75rem; margin: .75rem 0; }
.chart-box h3 { font-size: 1rem; margin: .2rem 0 .5rem; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .grid { stroke: var(--line); }
svg.chart .axis, svg.chart .label { fill: var(--fg); font-size: 11px; }
.c-approved { fill: #2e7d32; background: #2e7d32; } .c-held { fill: #c77700; background: #c77700; }
.c-spam { fill: #b00020; background: #b00020; } .c-rejected { fill: #777; background: #777; }
.c-fp { fill: #1f5fbf; background: #1f5fbf; } .c-fn { fill: #8e24aa; background: #8e24aa; } .c-reason { fill: #5d6d7e; background: #5d6d7e; }
ul.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; list-style: none; padding: 0; margin: .3rem 0; font-size: .85rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
.chart-box .note { color: var(--muted); font-size: .85rem; margin: .3rem 0; }
.chart-box .quality { font-weight: 600; margin: .3rem 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;
