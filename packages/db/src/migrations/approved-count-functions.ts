import { type Kysely, sql } from 'kysely';

// Shared by the migrations that define the trigger functions keeping
// threads.approved_count (first in thread-approved-count, redefined when
// deleted comments stopped counting). Imports no app code, like every migration.

/**
 * Creates (or replaces) threads_count_inserted, _deleted and _updated: the
 * statement-level trigger functions that add the rows matching `counted` to
 * their thread's approved_count, take them off, or apply the difference.
 */
export async function defineApprovedCountFunctions(
  db: Kysely<unknown>,
  create: 'create' | 'create or replace',
  counted: string,
): Promise<void> {
  const countedPerThread = (rows: string) =>
    `(select thread_id, count(*)::int as n from ${rows} where ${counted} group by thread_id) d`;
  const bodies = {
    inserted: `update threads t set approved_count = t.approved_count + d.n
      from ${countedPerThread('new_rows')}
      where t.id = d.thread_id;`,
    deleted: `update threads t set approved_count = greatest(0, t.approved_count - d.n)
      from ${countedPerThread('old_rows')}
      where t.id = d.thread_id;`,
    updated: `update threads t set approved_count = greatest(0, t.approved_count + d.delta)
      from (
        select thread_id, sum(delta)::int as delta from (
          select thread_id, 1 as delta from new_rows where ${counted}
          union all
          select thread_id, -1 as delta from old_rows where ${counted}
        ) changes group by thread_id
      ) d
      where t.id = d.thread_id and d.delta <> 0;`,
  };
  for (const [name, body] of Object.entries(bodies)) {
    await sql
      .raw(`
    ${create} function threads_count_${name}() returns trigger language plpgsql as $$
    begin
      ${body}
      return null;
    end $$`)
      .execute(db);
  }
}
