import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { Migration } from '@arrears/event-store';

export const DEFAULT_EVIDENCE_SCHEMA = 'legal_evidence';

/** Lower-case, unquoted-safe, at most PostgreSQL's 63 bytes: a name that means the same quoted or not. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function evidenceSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The evidence schema must be a lower-case PostgreSQL name (letters, digits, _; at most 63), not ${JSON.stringify(name)}`, {
      field: 'schema',
    });
  }
  return name;
}

/**
 * The case index and the package store share one schema and so one numbered list; each `migrate()` applies all
 * of it (under `runMigrations`' advisory lock), whichever starts first.
 */
export const EVIDENCE_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'case streams',
    sql: (s) => `
      create table ${s}.case_streams (
        case_id uuid not null,
        stream_id text not null check (stream_id <> ''),
        -- the first event seen that put the stream in the case: where to look if someone asks why
        first_event_id uuid not null,
        recorded_at timestamptz not null default now(),
        primary key (case_id, stream_id)
      );`,
  },
  {
    id: 2,
    name: 'evidence packages',
    // Content-addressed and fixed: a row is written once and never changed or removed. The triggers make that a
    // property of the tables, not only of this code (a deliberate removal needs a migration that says so).
    sql: (s) => `
      create table ${s}.packages (
        package_id text primary key check (package_id ~ '^[0-9a-f]{64}$'),
        case_id uuid not null,
        account_id uuid not null,
        requested_at timestamptz not null,
        key_id text not null,
        manifest bytea not null,
        signature text not null,
        stored_at timestamptz not null default now()
      );
      create index packages_by_case on ${s}.packages (case_id, requested_at desc, stored_at desc);

      create table ${s}.package_items (
        package_id text not null references ${s}.packages (package_id),
        name text not null,
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        bytes bytea not null,
        primary key (package_id, name)
      );

      create function ${s}.refuse_change() returns trigger language plpgsql as $fn$
      begin
        raise exception using errcode = 'AR423', message = format('%I.%I is insert-only: evidence is never changed or removed', tg_table_schema, tg_table_name);
      end
      $fn$;
      create trigger packages_insert_only before update or delete on ${s}.packages for each row execute function ${s}.refuse_change();
      create trigger packages_no_truncate before truncate on ${s}.packages for each statement execute function ${s}.refuse_change();
      create trigger package_items_insert_only before update or delete on ${s}.package_items for each row execute function ${s}.refuse_change();
      create trigger package_items_no_truncate before truncate on ${s}.package_items for each statement execute function ${s}.refuse_change();`,
  },
];
