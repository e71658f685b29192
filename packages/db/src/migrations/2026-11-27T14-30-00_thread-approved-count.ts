import { type Kysely, sql } from 'kysely';
import { defineApprovedCountFunctions } from './approved-count-functions.js';

// A thread's approved count kept on the thread row by statement-level
// triggers, so count badges for a hundred threads are one indexed read of a
// hundred rows instead of counting every comment (which grew with the site).
// Triggers rather than application code: every writer (worker, moderation,
// import, erasure) keeps it right without knowing about it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table threads add column approved_count integer not null default 0`.execute(db);
  await sql`
    update threads t set approved_count = c.n
    from (select thread_id, count(*)::int as n from comments where status = 'approved' group by thread_id) c
    where c.thread_id = t.id`.execute(db);

  await defineApprovedCountFunctions(db, 'create', "status = 'approved'");
  await sql`create trigger comments_count_inserted after insert on comments referencing new table as new_rows for each statement execute function threads_count_inserted()`.execute(
    db,
  );
  await sql`create trigger comments_count_deleted after delete on comments referencing old table as old_rows for each statement execute function threads_count_deleted()`.execute(
    db,
  );
  await sql`create trigger comments_count_updated after update on comments referencing old table as old_rows new table as new_rows for each statement execute function threads_count_updated()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['inserted', 'deleted', 'updated']) {
    await sql.raw(`drop trigger if exists comments_count_${name} on comments`).execute(db);
    await sql.raw(`drop function if exists threads_count_${name}()`).execute(db);
  }
  await sql`alter table threads drop column approved_count`.execute(db);
}
