/** The comment form: its fields, their error state, and where it stands (under the heading or under a comment). */
import { h } from './dom.js';
import { FIELDS, type Field } from './errors.js';
import { renderFrame } from './frame.js';
import type { Messages } from './i18n/index.js';
import { authBox, signOut } from './identity.js';
import { byId, type Item, setText, type Widget } from './state.js';
import { submit } from './submit.js';

const FIELD_ERRORS: Record<Field, keyof Messages> = {
  name: 'errName',
  email: 'errEmail',
  url: 'errUrl',
  body: 'errBody',
};

function field(
  w: Widget,
  name: Field,
  label: string,
  input: HTMLInputElement | HTMLTextAreaElement,
  extra?: Node,
): HTMLElement {
  const id = `st-${name}`;
  input.id = id;
  input.name = name;
  input.value = w.draft[name];
  input.setAttribute('aria-describedby', `${extra ? 'st-hint ' : ''}${id}-e`);
  input.addEventListener('input', () => {
    w.draft[name] = input.value;
    if (w.errors.includes(name)) {
      w.errors = w.errors.filter((f) => f !== name);
      showFormState(w);
    }
  });
  w.inputs[name] = input;
  w.errorEls[name] = h('p', { id: `${id}-e`, class: 'fe' });
  return h('div', { class: 'f' }, h('label', { for: id }, label), input, extra, w.errorEls[name]);
}

export function buildForm(w: Widget): HTMLFormElement {
  const { m } = w;
  const hp = h('input', { id: 'st-hp', name: 'website_url2', type: 'text', tabindex: '-1', autocomplete: 'off' });
  hp.value = w.draft.hp;
  hp.addEventListener('input', () => {
    w.draft.hp = hp.value;
  });
  w.notifyBox = h('input', { id: 'st-notify', type: 'checkbox' });
  w.formHead = h('h3', { id: 'st-fh' });
  w.submitBtn = h('button', { type: 'submit', class: 'btn' });
  w.cancelBtn = h('button', { type: 'button', class: 'lnk', hidden: true, onclick: () => cancelReply(w) }, m.cancel);
  w.msgEl = h('p', { class: 'fm', role: 'status', 'aria-live': 'polite' });
  return h(
    'form',
    { novalidate: true, 'aria-labelledby': 'st-fh', onsubmit: (e: Event) => submit(w, e) },
    w.formHead,
    authBox(m, w.me, w.providers, `${w.env.api}${w.sitePath}/auth`, () => signOutCommenter(w)),
    field(
      w,
      'name',
      m.name,
      h('input', { type: 'text', autocomplete: 'name', required: true, maxlength: 80, readonly: !!w.me }),
    ),
    field(w, 'email', m.email, h('input', { type: 'email', autocomplete: 'email' })),
    // Reply mails need an email; the server sends a confirmation first (double opt-in).
    h('div', { class: 'f ck' }, w.notifyBox, h('label', { for: 'st-notify' }, m.notify)),
    field(w, 'url', m.url, h('input', { type: 'url', autocomplete: 'url' })),
    field(
      w,
      'body',
      m.body,
      h('textarea', { rows: 5, required: true, maxlength: 10000 }),
      h('p', { id: 'st-hint', class: 'mu hint' }, m.hint),
    ),
    h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', { for: 'st-hp' }, m.hp), hp),
    h('div', { class: 'act' }, w.submitBtn, w.cancelBtn),
    w.msgEl,
  );
}

/** Field errors, the form message and the submit button, without rebuilding anything. */
export function showFormState(w: Widget): void {
  const { m } = w;
  for (const f of FIELDS) {
    const bad = w.errors.includes(f);
    w.errorEls[f].textContent = bad ? (m[FIELD_ERRORS[f]] as string) : '';
    if (bad) w.inputs[f].setAttribute('aria-invalid', 'true');
    else w.inputs[f].removeAttribute('aria-invalid');
  }
  setText(w.msgEl, w.formMsg ? w.formMsg(m) : '');
  w.submitBtn.disabled = w.busy;
  w.submitBtn.textContent = w.busy ? m.sending : m.send;
}

/** The form goes under the comment being answered, else under the heading; a closed thread shows a note instead. */
export function placeForm(w: Widget): void {
  const { m, form } = w;
  if (w.closed) {
    form.remove();
    w.replyTo = null;
    w.mainSlot.replaceChildren(h('p', { class: 'closed', id: 'st-closed', tabindex: '-1' }, m.closed));
    return;
  }
  const slot = w.replyTo && byId(w, `r-${w.replyTo.id}`);
  if (!slot) w.replyTo = null;
  if (form.parentNode !== (slot || w.mainSlot)) (slot || w.mainSlot).append(form);
  w.formHead.textContent = w.replyTo ? m.replyTo(w.replyTo.author.name) : m.write;
  w.cancelBtn.hidden = !w.replyTo;
}

export function openReply(w: Widget, c: Item): void {
  w.replyTo = c;
  placeForm(w);
  (w.draft.name ? w.inputs.body : w.inputs.name).focus();
}

function cancelReply(w: Widget): void {
  const id = w.replyTo?.id;
  w.replyTo = null;
  placeForm(w);
  byId(w, `c-${id}`)?.querySelector<HTMLElement>('.rb')?.focus();
}

/** Back to a plain name field (the reader signed out, or the sign-in expired). */
export function signOutCommenter(w: Widget): void {
  signOut(w.site);
  w.me = null;
  renderFrame(w);
}
