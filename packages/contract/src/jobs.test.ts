import { describe, expect, it } from 'vitest';
import { COMMENT_JOB_OPTIONS, JOB_NAMES, type JobProducer, MalformedJobError, enqueueEdit, readJob } from './jobs.js';

const commentId = '0190a000-0000-7000-8000-000000000001';

describe('readJob', () => {
  it('reads each job by its name, and an unknown name as a comment', () => {
    const edit = { commentId, siteId: 's', body: 'neu', editedAt: 1 };
    expect(readJob({ name: JOB_NAMES.edit, data: edit })).toEqual({ kind: 'edit', data: edit });
    const comment = {
      id: commentId,
      siteId: 's',
      thread: { key: 't' },
      author: { name: 'A' },
      body: 'b',
      receivedAt: 1,
    };
    expect(readJob({ name: 'legacy', data: comment }).kind).toBe('comment');
  });

  it('refuses a job that does not match its schema', () => {
    expect(() => readJob({ name: JOB_NAMES.report, data: { id: 'x' } })).toThrow(MalformedJobError);
  });
});

describe('enqueue', () => {
  it('adds a job under its kind name with the comment queue options and a stable id', async () => {
    const added: unknown[][] = [];
    const producer: JobProducer = { add: async (...args) => void added.push(args) };
    await enqueueEdit(producer, { commentId, siteId: 's', body: 'neu', editedAt: 5 });
    expect(added).toEqual([
      [
        'comment.edit',
        { commentId, siteId: 's', body: 'neu', editedAt: 5 },
        { ...COMMENT_JOB_OPTIONS, jobId: `edit-${commentId}-5` },
      ],
    ]);
  });
});
