import type { ColumnType } from 'kysely';

// Column types shared by every table. Column names are camelCase here and
// snake_case in Postgres (CamelCasePlugin).

/** Read as a Date; written as a Date or an ISO string (or left to its default). */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A jsonb column: read parsed, written as the value or its JSON text. */
export type Json<T> = ColumnType<T, T | string, T | string>;
