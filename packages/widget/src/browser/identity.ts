import { request } from './api.js';
import { h } from './dom.js';
import type { Messages } from './i18n/index.js';

/** A reader signed in through one of the site's providers. */
export interface Me {
  name: string;
  provider: string;
  token: string;
}

export interface Provider {
  id: string;
  name: string;
}

const key = (site: string) => `stammtisch:t:${site}`;

/**
 * The commenter token: taken from the URL fragment the api's callback
 * redirects back with (#stammtisch_token=…, then removed from the address
 * bar), else from sessionStorage (per site, gone with the tab). Its claims
 * are only read for display; ingest checks the signature.
 */
export function takeToken(site: string): Me | null {
  const hit = /stammtisch_token=([\w.-]+)/.exec(location.hash);
  let token = hit ? hit[1] : null;
  try {
    if (token) {
      sessionStorage.setItem(key(site), token);
      history.replaceState(history.state, '', location.href.split('#')[0]);
    }
    token = sessionStorage.getItem(key(site));
  } catch {
    // no storage: signed in for this page view only
  }
  try {
    const b = atob(token!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const c = JSON.parse(new TextDecoder().decode(Uint8Array.from(b, (x) => x.charCodeAt(0))));
    if (c.site === site && c.exp * 1000 > Date.now()) return { name: c.name, provider: c.provider, token: token! };
  } catch {
    // none, or not readable
  }
  signOut(site);
  return null;
}

export function signOut(site: string): void {
  try {
    sessionStorage.removeItem(key(site));
  } catch {
    // nothing stored
  }
}

export function loadProviders(api: string, sitePath: string): Promise<Provider[]> {
  return request<{ providers: Provider[] }>(`${api}${sitePath}/auth/providers`).then((r) => r.providers);
}

/** Sign-in links (a full-page redirect that comes back here), or who is signed in with a sign-out button. */
export function authBox(
  m: Messages,
  me: Me | null,
  providers: Provider[],
  start: string,
  onOut: () => void,
): HTMLElement {
  const back = encodeURIComponent(location.href.split('#')[0]!);
  return h(
    'p',
    { class: 'au' },
    me
      ? [
          m.signedIn(me.name, me.provider),
          ' ',
          h('button', { type: 'button', class: 'lnk', onclick: onOut }, m.signOut),
        ]
      : providers.map((p) => [
          h('a', { class: 'btn', href: `${start}/${encodeURIComponent(p.id)}/start?return=${back}` }, m.signIn(p.name)),
          ' ',
        ]),
  );
}
