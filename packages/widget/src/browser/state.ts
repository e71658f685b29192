/**
 * What one mounted widget knows and holds: the thread it shows, the reader's
 * draft and tokens, and the elements the render functions update. Every
 * module of the widget takes this object first; there is one per container.
 */
import type { Draft, Field, Problem } from './errors.js';
import { inTime } from './format.js';
import type { Messages } from './i18n/index.js';
import type { Me, Provider } from './identity.js';
import type { Own } from './storage.js';
import { save } from './storage.js';
import type { TreeNode } from './tree.js';
import type { Author, Comment, ThreadInfo } from './types.js';

export interface Env {
  /** Base URL for reads (no trailing slash). */
  api: string;
  /** Base URL for writes (no trailing slash). */
  ingest: string;
  /** Called after every full render with the language tag in use. */
  onLang?: (tag: string) => void;
  /** Called with the thread's approved count whenever the widget has read it. */
  onCount: (site: string, key: string, count: number) => void;
}

/** A comment as rendered: from the server (`html`) or the writer's own copy (`text`). */
export interface Item {
  id: string;
  parentId: string | null;
  author: Author;
  createdAt: string;
  html?: string;
  text?: string;
  pending?: boolean;
  votes?: { up: number; down: number };
  editedAt?: string;
  pinned?: boolean;
  deleted?: boolean;
}

/** A message that can be re-rendered in whatever language is current. */
export type Say = (m: Messages) => string;

export interface Widget {
  env: Env;
  host: HTMLElement;
  root: ShadowRoot;
  site: string;
  /** `/v1/sites/<site>`, the prefix of every request. */
  sitePath: string;
  m: Messages;
  tag: string;
  /** The thread key shown. */
  key: string;
  sort: string;
  /** The server's comments loaded so far, in the order the pages came. */
  comments: Comment[];
  thread: ThreadInfo | null;
  next: string | null;
  pages: number;
  /** Bumped by every load, so a late answer for an earlier one is dropped. */
  loadSeq: number;
  state: 'loading' | 'ready' | 'error';
  loadProblem: Problem;
  closed: boolean;
  /** The writer's own comments the server list does not show yet. */
  own: Own[];
  replyTo: Item | null;
  me: Me | null;
  providers: Provider[];
  draft: Draft;
  errors: Field[];
  formMsg: Say | null;
  status: Say | null;
  idem: { fp: string; key: string } | null;
  busy: boolean;
  renderedAt: number;
  polls: number;
  pollTimer?: ReturnType<typeof setTimeout>;
  unfollow: () => void;
  /** New comments from the live stream since the thread was opened. */
  fresh: number;
  tokensKey: string;
  votesKey: string;
  /** The writer's edit tokens by comment id. */
  tokens: Record<string, string>;
  /** This reader's votes by comment id. */
  myVotes: Record<string, number>;
  editing: string | null;
  /** The comment whose delete button asks "really?". */
  sure: string | null;
  /** Every rendered comment by id: live events and actions update one node, never the list. */
  nodes: Map<string, TreeNode<Item>>;
  // Elements: rebuilt by renderFrame(); the form is one node that moves between slots.
  section: HTMLElement;
  heading: HTMLElement;
  statusEl: HTMLElement;
  mainSlot: HTMLElement;
  bar: HTMLElement;
  listEl: HTMLElement;
  tailEl: HTMLElement;
  form: HTMLFormElement;
  formHead: HTMLElement;
  notifyBox: HTMLInputElement;
  submitBtn: HTMLButtonElement;
  cancelBtn: HTMLButtonElement;
  msgEl: HTMLElement;
  inputs: Record<Field, HTMLInputElement | HTMLTextAreaElement>;
  errorEls: Record<Field, HTMLElement>;
}

/**
 * Property names the build shortens to one or two letters (esbuild
 * mangleProps): the widget's own fields and the longer message keys are read
 * all over the widget and cost bytes of the 12 KiB budget. The build renames
 * them everywhere, so only names may be listed that never travel in JSON,
 * storage or the DOM (h() attributes included) and are never read by a
 * computed key (like FIELD_ERRORS' message keys or the sort options). Not
 * `site`, for one: the sign-in token's claims carry it.
 */
export const WIDGET_INTERNAL_PROPS = [
  // Widget
  'sitePath',
  'loadSeq',
  'loadProblem',
  'statusEl',
  'mainSlot',
  'listEl',
  'tailEl',
  'formHead',
  'notifyBox',
  'submitBtn',
  'cancelBtn',
  'msgEl',
  'errorEls',
  'inputs',
  'tokensKey',
  'votesKey',
  'myVotes',
  'pollTimer',
  'unfollow',
  'formMsg',
  'editing',
  'heading',
  'section',
  'nodes',
  'polls',
  'idem',
  'busy',
  'sure',
  'pages',
  'tokens',
  'draft',
  'replyTo',
  'fresh',
  'errors',
  'own',
  'me',

  'bar',
  'env',
  'tag',
  'root',
  'host',
  'next',
  'form',
  // Env and Me
  'api',
  'ingest',
  'onCount',
  'onLang',
  'token',
  // TreeNode, Item and Problem
  'item',
  'node',
  'depth',
  'pending',
  'kind',
  'seconds',
  // Messages
  'none',
  'reply',
  'send',
  'cancel',
  'save',
  'edit',
  'del',
  'more',
  'region',
  'loadFailed',
  'siteUnknown',
  'retry',
  'inReplyTo',
  'write',

  'hint',
  'sending',
  'signIn',
  'signedIn',
  'signOut',
  'posted',
  'approved',
  'rejected',
  'errCheck',
  'errRate',
  'errBusy',
  'errOrigin',
  'errNetwork',
  'errGeneric',
  'editSent',
  'editClosed',
  'delSure',
  'edited',
];

export const byId = (w: Widget, id: string) => w.root.getElementById(id) as HTMLElement | null;
export const threadPath = (w: Widget) => `${w.env.api}${w.sitePath}/threads/${encodeURIComponent(w.key)}`;
export const ownKey = (w: Widget) => `stammtisch:pending:${w.site}:${w.key}`;
export const saveOwn = (w: Widget) => save(ownKey(w), w.own);

export function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // old browsers without User Timing: the marks are for tests only
  }
}

/** Live regions announce every change, so only touch them when the text really changes. */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** The status line under the heading, in the current language. */
export function showStatus(w: Widget, status: Say | null): void {
  w.status = status;
  setText(w.statusEl, status ? status(w.m) : '');
}

export function explain(m: Messages, p: Problem, tag: string): string {
  switch (p.kind) {
    case 'rate':
      return m.errRate(inTime(p.seconds, tag));
    case 'fields':
      return m.errCheck;
    case 'busy':
      return m.errBusy;
    case 'closed':
      return m.closed;
    case 'origin':
      return m.errOrigin;
    case 'network':
      return m.errNetwork;
    case 'site':
      return m.siteUnknown;
    default:
      return m.errGeneric;
  }
}
