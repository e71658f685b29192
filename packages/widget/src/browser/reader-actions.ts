/** What a reader does to a published comment: vote, and (the writer, within the window) edit or delete it. */
import { problemOf, request } from './api.js';
import { redraw } from './comment.js';
import { removeComment } from './live-update.js';
import { explain, type Item, saveOwn, showStatus, type Widget } from './state.js';
import { load, save } from './storage.js';
import type { TreeNode } from './tree.js';

// The voter token ingest handed this browser.
const VOTER_KEY = 'stammtisch:voter';

export async function castVote(w: Widget, node: TreeNode<Item>, value: number): Promise<void> {
  const c = node.item;
  const vote = w.myVotes[c.id] === value ? 0 : value;
  const voter = load<string>(VOTER_KEY, '');
  try {
    const res = await request<{ up: number; down: number; voterToken?: string }>(
      `${w.env.ingest}${w.sitePath}/comments/${c.id}/votes`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(voter && { 'X-Voter-Token': voter }),
          ...(w.me && { Authorization: `Bearer ${w.me.token}` }),
        },
        body: JSON.stringify({ value: vote }),
      },
    );
    if (res.voterToken) save(VOTER_KEY, res.voterToken);
    w.myVotes[c.id] = vote;
    save(w.votesKey, w.myVotes);
    // The live stream may have replaced the node's comment meanwhile: count on the current one.
    node.item.votes = { up: res.up, down: res.down };
    redraw(w, node);
  } catch (err) {
    showStatus(w, (x) => explain(x, problemOf(err), w.tag));
  }
}

/** The writer's request to change their comment; 409 means the window has passed. */
async function change(w: Widget, id: string, method: string, body?: string): Promise<boolean> {
  try {
    // DELETE answers 204 without a body; request() reads that as null.
    await request(`${w.env.ingest}${w.sitePath}/comments/${id}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-Edit-Token': w.tokens[id] || '' },
      body,
    });
    return true;
  } catch (err) {
    if ((err as { status?: number }).status === 409) {
      delete w.tokens[id];
      save(w.tokensKey, w.tokens);
      showStatus(w, (x) => x.editClosed);
    } else showStatus(w, (x) => explain(x, problemOf(err), w.tag));
    return false;
  }
}

export async function saveEdit(w: Widget, node: TreeNode<Item>, text: string): Promise<void> {
  if (!text.trim()) return;
  const c = node.item;
  w.editing = null;
  if (await change(w, c.id, 'PATCH', JSON.stringify({ body: text }))) {
    // Shown as the writer typed it until the checked, rendered text arrives over the live stream.
    c.html = undefined;
    c.text = text;
    c.editedAt = new Date().toISOString();
    showStatus(w, (x) => x.editSent);
  }
  redraw(w, node);
}

/** The first click asks "really?", the second deletes. */
export async function removeOwn(w: Widget, node: TreeNode<Item>): Promise<void> {
  const c = node.item;
  if (w.sure !== c.id) return redraw(w, node, (w.sure = c.id));
  w.sure = null;
  if (await change(w, c.id, 'DELETE')) {
    w.own = w.own.filter((o) => o.id !== c.id);
    saveOwn(w);
    if (w.thread) w.thread.count = Math.max(0, w.thread.count - 1);
    removeComment(w, node);
  } else redraw(w, node);
}
