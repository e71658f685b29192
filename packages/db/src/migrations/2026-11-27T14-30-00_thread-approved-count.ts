import { type Kysely, sql } from 'kysely';

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

  await sql`
    create function threads_count_inserted() returns trigger language plpgsql as $$
    begin
      update threads t set approved_count = t.approved_count + d.n
      from (select thread_id, count(*)::int as n from new_rows where status = 'approved' group by thread_id) d
      where t.id = d.thread_id;
      return null;
    end $$`.execute(db);
  await sql`
    create function threads_count_deleted() returns trigger language plpgsql as $$
    begin
      update threads t set approved_count = greatest(0, t.approved_count - d.n)
      from (select thread_id, count(*)::int as n from old_rows where status = 'approved' group by thread_id) d
      where t.id = d.thread_id;
      return null;
    end $$`.execute(db);
  await sql`
    create function threads_count_updated() returns trigger language plpgsql as $$
    begin
      update threads t set approved_count = greatest(0, t.approved_count + d.delta)
      from (
        select thread_id, sum(delta)::int as delta from (
          select thread_id, 1 as delta from new_rows where status = 'approved'
          union all
          select thread_id, -1 as delta from old_rows where status = 'approved'
        ) changes group by thread_id
      ) d
      where t.id = d.thread_id and d.delta <> 0;
      return null;
    end $$`.execute(db);
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
