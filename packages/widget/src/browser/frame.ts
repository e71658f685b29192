/** The widget's frame: heading, status, form slot, sort bar and list, built anew only when the language or sign-in changes. */
import { browserLanguages, pickLanguage } from './config.js';
import { h } from './dom.js';
import { buildForm, showFormState } from './form.js';
import { languages } from './i18n/index.js';
import { loadThread, renderList } from './list.js';
import { byId, type Widget } from './state.js';
import { css } from './styles.js';

/** The theme the container asks for; light unless it says dark or auto. */
export function themeOf(host: HTMLElement): string {
  const theme = host.getAttribute('data-theme');
  return theme === 'dark' || theme === 'auto' ? theme : 'light';
}

/** Picks the language from the container, the page and the browser; sets `w.m` and returns the tag. */
export function readLang(w: Widget): string {
  const picked = pickLanguage(
    [w.host.getAttribute('data-lang'), document.documentElement.lang, ...browserLanguages()],
    languages,
  );
  w.m = languages[picked.key] ?? w.m;
  return picked.tag;
}

/** Everything, e.g. after a language change; keeps what was typed and where focus was. */
export function renderFrame(w: Widget): void {
  const focused = w.root.activeElement?.id;
  w.tag = readLang(w);
  const { m } = w;
  w.form = buildForm(w);
  w.heading = h('h2', { id: 'st-h' });
  w.statusEl = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
  w.mainSlot = h('div');
  w.listEl = h('div');
  w.bar = h(
    'div',
    { class: 'bar' },
    h('label', { for: 'st-sort' }, m.sort),
    h(
      'select',
      {
        id: 'st-sort',
        onchange: (e: Event) => {
          w.sort = (e.target as HTMLSelectElement).value;
          loadThread(w);
        },
      },
      ['oldest', 'newest', 'best'].map((v) => h('option', { value: v, selected: w.sort === v }, m[v as 'best'])),
    ),
  );
  w.section = h(
    'section',
    { class: 'st', lang: w.tag, 'data-t': themeOf(w.host), 'aria-labelledby': 'st-h' },
    w.heading,
    w.statusEl,
    w.mainSlot,
    w.bar,
    w.listEl,
  );
  w.root.replaceChildren(h('style', null, css), w.section);
  showFormState(w);
  renderList(w);
  if (focused) byId(w, focused)?.focus();
  w.env.onLang?.(w.tag);
}
