// Reading labelled comments: the YouTube Spam Collection's CSV format and our JSONL format.
// Used by the shipped model and the eval CLI; the checks themselves never touch files.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CommentCandidate } from './types.js';

export interface LabeledComment {
  body: string;
  author: CommentCandidate['author'];
  label: 'spam' | 'ham';
  /** File name it came from. */
  source: string;
}

export interface Dataset {
  name: string;
  /** SHA-256 of the file's bytes: how the eval recognises a shipped training file. */
  sha256: string;
  comments: LabeledComment[];
}

/**
 * Reads a CSV (columns CONTENT, AUTHOR, CLASS with 1 = spam), a JSONL file, or a GermEval 2018
 * file (`text<TAB>OTHER|OFFENSE<TAB>fine`, real German tweets: every line is ham, see data/README.md).
 */
export function readDataset(path: string): Dataset {
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const name = basename(path);
  const text = bytes.toString('utf8');
  const comments =
    /\.jsonl?$/i.test(path) || text.trimStart().startsWith('{')
      ? parseJsonl(text, name)
      : GERMEVAL_LINE.test(text.slice(0, text.indexOf('\n') + 1 || undefined))
        ? parseGermEval(text, name)
        : parseCsv(text, name);
  return { name, sha256, comments };
}

const GERMEVAL_LINE = /^[^\t\n]*\t(?:OTHER|OFFENSE)\t[A-Z]+\r?\n?$/;

/**
 * GermEval 2018: its labels say offensive or not, never spam. An offensive post is a real
 * person's post, so every line is ham here; line breaks were written `|LBR|`.
 */
function parseGermEval(text: string, source: string): LabeledComment[] {
  const comments: LabeledComment[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const [body, coarse] = line.split('\t');
    if (body === undefined || (coarse !== 'OTHER' && coarse !== 'OFFENSE'))
      throw new Error(`${source}: line ${index + 1} is not "text<TAB>OTHER|OFFENSE<TAB>fine"`);
    comments.push({ body: body.replace(/\|LBR\|/g, '\n'), author: { name: '' }, label: 'ham', source });
  });
  return comments;
}

function parseCsv(text: string, source: string): LabeledComment[] {
  // DATE and COMMENT_ID leak the label in this collection (see data/README.md): read only these three.
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Array<
    Record<string, string | undefined>
  >;
  return rows.map((row, index) => {
    const label = (row.CLASS ?? row.label ?? '').trim();
    if (label !== '0' && label !== '1')
      throw new Error(`${source}: row ${index + 2} has CLASS "${label}", expected 0 or 1`);
    return {
      body: row.CONTENT ?? '',
      author: { name: row.AUTHOR ?? '' },
      label: label === '1' ? 'spam' : 'ham',
      source,
    };
  });
}

function parseJsonl(text: string, source: string): LabeledComment[] {
  const comments: LabeledComment[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const row = JSON.parse(line) as {
      body?: unknown;
      author?: { name?: unknown; email?: unknown; url?: unknown };
      label?: unknown;
    };
    if (typeof row.body !== 'string' || (row.label !== 'spam' && row.label !== 'ham')) {
      throw new Error(`${source}: line ${index + 1} needs a string "body" and "label" "spam" or "ham"`);
    }
    const author = row.author ?? {};
    comments.push({
      body: row.body,
      author: {
        name: typeof author.name === 'string' ? author.name : '',
        email: typeof author.email === 'string' ? author.email : null,
        url: typeof author.url === 'string' ? author.url : null,
      },
      label: row.label,
      source,
    });
  });
  return comments;
}
