/**
 * The moderation page's script and styles, served as files (`/moderate/app.js`,
 * `/moderate/app.css`) so the page's CSP can forbid inline code. Plain
 * browser JavaScript, no framework and no build step: it is small, and every
 * moderator's browser runs it as written.
 */
export const MODERATE_SCRIPT = `'use strict';
(function () {
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var listEl = document.getElementById('items');
  var statusEl = document.getElementById('status');
  var countEl = document.getElementById('count');
  var searchEl = document.getElementById('q');
  var queueEl = document.getElementById('queue');
  var sortEl = document.getElementById('sort');
  var siteEl = document.getElementById('site');
  var helpEl = document.getElementById('help');
  var state = { items: [], cur: 0, selected: new Set(), decided: new Set(), undo: [], nextCursor: null, loading: false, generation: 0 };

  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    if (method !== 'GET') { headers['content-type'] = 'application/json'; headers['x-csrf-token'] = csrf; }
    return fetch(path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) }).then(function (res) {
      if (res.status === 401) { location.href = '/moderate'; throw new Error('signed out'); }
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error((data.error && data.error.message) || ('HTTP ' + res.status));
        return data;
      });
    });
  }

  function say(text, isError) {
    statusEl.textContent = text;
    statusEl.className = isError ? 'error' : '';
  }

  function queuePath(cursor) {
    var p = new URLSearchParams({ status: queueEl.value, sort: sortEl.value, limit: '100' });
    if (searchEl.value.trim()) p.set('q', searchEl.value.trim());
    if (siteEl.value) p.set('site', siteEl.value);
    if (cursor) p.set('cursor', cursor);
    return '/v1/moderation/queue?' + p.toString();
  }

  function load() {
    var generation = ++state.generation;
    state.loading = true;
    return api('GET', queuePath()).then(function (data) {
      if (generation !== state.generation) return;
      var currentId = state.items[state.cur] && state.items[state.cur].id;
      state.items = data.items.filter(function (i) { return !state.decided.has(i.id); });
      state.nextCursor = data.nextCursor;
      var keep = state.items.findIndex(function (i) { return i.id === currentId; });
      state.cur = keep >= 0 ? keep : Math.min(state.cur, Math.max(0, state.items.length - 1));
      render();
    }).catch(function (e) { say(e.message, true); }).finally(function () { state.loading = false; });
  }

  function loadMore() {
    if (!state.nextCursor || state.loading) return;
    var generation = state.generation;
    state.loading = true;
    api('GET', queuePath(state.nextCursor)).then(function (data) {
      if (generation !== state.generation) return;
      var known = new Set(state.items.map(function (i) { return i.id; }));
      data.items.forEach(function (i) { if (!known.has(i.id) && !state.decided.has(i.id)) state.items.push(i); });
      state.nextCursor = data.nextCursor;
      render();
    }).catch(function (e) { say(e.message, true); }).finally(function () { state.loading = false; });
  }

  // New held comments show up without a reload: poll the first page and merge what is new.
  function poll() {
    if (document.hidden || state.loading) return;
    var generation = state.generation;
    api('GET', queuePath()).then(function (data) {
      if (generation !== state.generation) return;
      var known = new Set(state.items.map(function (i) { return i.id; }));
      var fresh = data.items.filter(function (i) { return !known.has(i.id) && !state.decided.has(i.id); });
      if (!fresh.length) return;
      var currentId = state.items[state.cur] && state.items[state.cur].id;
      fresh.forEach(function (i) { i.fresh = true; });
      state.items = sortEl.value === 'newest' ? fresh.concat(state.items) : state.items.concat(fresh);
      var keep = state.items.findIndex(function (i) { return i.id === currentId; });
      if (keep >= 0) state.cur = keep;
      render();
      say(fresh.length + ' new');
    }).catch(function () {});
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function render() {
    listEl.textContent = '';
    state.items.forEach(function (item, index) {
      var li = el('li', 'item');
      li.dataset.id = item.id;
      li.id = 'c-' + item.id;
      if (index === state.cur) { li.classList.add('current'); li.setAttribute('aria-current', 'true'); }
      if (state.selected.has(item.id)) li.classList.add('selected');
      if (item.fresh) li.classList.add('fresh');
      var head = el('div', 'head');
      var mark = el('span', 'mark', state.selected.has(item.id) ? '☑' : '☐');
      head.appendChild(mark);
      var who = el('strong', 'author', item.author.name);
      head.appendChild(who);
      if (item.author.email) head.appendChild(el('span', 'email', item.author.email));
      if (item.author.verified) head.appendChild(el('span', 'badge', item.author.provider || 'verified'));
      var thread = el('a', 'thread', item.thread.title || item.thread.key);
      thread.href = item.thread.url || '#';
      thread.target = '_blank';
      thread.rel = 'noopener noreferrer';
      thread.tabIndex = -1;
      head.appendChild(thread);
      head.appendChild(el('span', 'site', item.site));
      head.appendChild(el('time', 'when', new Date(item.createdAt).toLocaleString()));
      var score = el('span', 'score', 'spam ' + Math.round(item.score * 100) + '%');
      score.classList.add(item.score >= 0.9 ? 'high' : item.score >= 0.5 ? 'mid' : 'low');
      head.appendChild(score);
      if (item.reports) head.appendChild(el('span', 'reports', item.reports + (item.reports === 1 ? ' report' : ' reports')));
      li.appendChild(head);
      var body = el('div', 'body');
      // Rendered and sanitized on the server (the same HTML readers see); the CSP forbids scripts anyway.
      body.innerHTML = item.html;
      li.appendChild(body);
      if (item.reasons && item.reasons.length) {
        var reasons = el('ul', 'reasons');
        item.reasons.forEach(function (r) {
          var rl = el('li', r.weight > 0 ? 'against' : 'for');
          rl.appendChild(el('code', '', r.check));
          rl.appendChild(document.createTextNode(' ' + (r.weight > 0 ? '+' : '') + Number(r.weight).toFixed(1) + ' · ' + r.detail));
          reasons.appendChild(rl);
        });
        li.appendChild(reasons);
      }
      listEl.appendChild(li);
    });
    countEl.textContent = state.items.length + (state.nextCursor ? '+' : '') + ' ' + queueEl.options[queueEl.selectedIndex].text + (state.selected.size ? ' · ' + state.selected.size + ' selected' : '');
    document.body.dataset.count = String(state.items.length);
    var current = listEl.children[state.cur];
    if (current) current.scrollIntoView({ block: 'nearest' });
    if (state.items.length - state.cur < 10) loadMore();
  }

  function move(by) {
    if (!state.items.length) return;
    state.cur = Math.max(0, Math.min(state.items.length - 1, state.cur + by));
    render();
  }

  var LABEL = { approve: 'Approved', reject: 'Rejected', spam: 'Marked as spam' };

  function forget(ids) {
    var gone = new Set(ids);
    ids.forEach(function (id) { state.decided.add(id); state.selected.delete(id); });
    state.items = state.items.filter(function (i) { return !gone.has(i.id); });
    state.cur = Math.min(state.cur, Math.max(0, state.items.length - 1));
    render();
  }

  // Decisions are optimistic: the item leaves the list at once and the next one is current,
  // so a moderator can keep typing; a failure reloads the list and says why.
  function decide(action) {
    var item = state.items[state.cur];
    if (!item) return;
    forget([item.id]);
    var done = api('POST', '/v1/moderation/comments/' + item.id + '/decision', { action: action }).then(function (r) { return [r.eventId]; });
    track({ label: LABEL[action] + ' 1 comment', ids: [item.id], events: done });
  }

  function bulk(action) {
    var ids = Array.from(state.selected);
    if (!ids.length) { say('Select comments with x first', true); return; }
    forget(ids);
    var done = api('POST', '/v1/moderation/decisions', { ids: ids, action: action }).then(function (r) { return r.eventIds; });
    track({ label: LABEL[action] + ' ' + ids.length + ' comments', ids: ids, events: done });
  }

  var inflight = 0;
  function track(entry) {
    inflight++;
    document.body.dataset.inflight = String(inflight);
    state.undo.push(entry);
    say(entry.label + ' — u to undo');
    entry.events.catch(function (e) {
      entry.ids.forEach(function (id) { state.decided.delete(id); });
      state.undo = state.undo.filter(function (x) { return x !== entry; });
      say('Not saved: ' + e.message, true);
      load();
    }).finally(function () {
      inflight--;
      document.body.dataset.inflight = String(inflight);
    });
  }

  function undo() {
    var entry = state.undo.pop();
    if (!entry) { say('Nothing to undo', true); return; }
    inflight++;
    document.body.dataset.inflight = String(inflight);
    entry.events.then(function (eventIds) {
      return api('POST', '/v1/moderation/undo', { eventIds: eventIds });
    }).then(function (r) {
      entry.ids.forEach(function (id) { state.decided.delete(id); });
      say('Undone: ' + entry.label.toLowerCase() + ' — ' + r.undone + ' back where ' + (r.undone === 1 ? 'it was' : 'they were'));
      return load();
    }).catch(function (e) { say('Could not undo: ' + e.message, true); }).finally(function () {
      inflight--;
      document.body.dataset.inflight = String(inflight);
    });
  }

  function toggleSelect() {
    var item = state.items[state.cur];
    if (!item) return;
    if (state.selected.has(item.id)) state.selected.delete(item.id); else state.selected.add(item.id);
    render();
  }

  function toggleHelp(show) {
    helpEl.hidden = show === undefined ? !helpEl.hidden : !show;
  }

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
    if (typing) {
      if (e.key === 'Escape') t.blur();
      if (e.key === 'Enter' && t === searchEl) { e.preventDefault(); t.blur(); state.selected.clear(); load(); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var handled = true;
    switch (e.key) {
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case 'a': decide('approve'); break;
      case 'r': decide('reject'); break;
      case 's': decide('spam'); break;
      case 'x': toggleSelect(); break;
      case 'A': bulk('approve'); break;
      case 'R': bulk('reject'); break;
      case 'S': bulk('spam'); break;
      case 'u': undo(); break;
      case '/': searchEl.focus(); searchEl.select(); break;
      case '?': toggleHelp(); break;
      case 'Escape': toggleHelp(false); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  [queueEl, sortEl, siteEl].forEach(function (s) { s.addEventListener('change', function () { state.selected.clear(); state.cur = 0; load(); s.blur(); }); });
  document.getElementById('help-close').addEventListener('click', function () { toggleHelp(false); });

  api('GET', '/v1/admin/sites').then(function (data) {
    (data.sites || []).forEach(function (s) {
      var o = document.createElement('option');
      o.value = s.id;
      o.textContent = s.name + ' (' + s.id + ')';
      siteEl.appendChild(o);
    });
  }).catch(function () {});

  load().then(function () { document.body.dataset.ready = 'true'; });
  setInterval(poll, Number(document.body.dataset.pollMs || 5000));
})();
`;

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
li.item.fresh .head::after { content: "new"; font-size: .75rem; color: var(--accent); }
.head { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; font-size: .9rem; }
.head .email, .head .site, .head .when { color: var(--muted); }
.head .thread { color: var(--accent); }
.score.high { color: #b00020; } .score.mid { color: #a05a00; } .score.low { color: #2e7d32; }
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
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;
