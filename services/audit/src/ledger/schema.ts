import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { Migration } from '@arrears/event-store';

export const DEFAULT_LEDGER_SCHEMA = 'audit_ledger';
/** The role the audit service works as: SELECT and INSERT on the ledger's tables, and the append function. */
export const DEFAULT_WRITER_ROLE = 'arrears_audit_writer';
/** SQLSTATE of an update, delete or truncate refused by the ledger's triggers (the same as legal's evidence tables). */
export const INSERT_ONLY_SQLSTATE = 'AR423';
/** SQLSTATE of an append whose event id is in the ledger with other content. */
export const CONFLICTING_EVENT_SQLSTATE = 'AR409';

/** Lower-case, unquoted-safe, at most PostgreSQL's 63 bytes: a name that means the same quoted or not. */
const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function ledgerName(name: string, field: 'schema' | 'writerRole'): string {
  if (!NAME.test(name)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The ledger's ${field} must be a lower-case PostgreSQL name (letters, digits, _; at most 63), not ${JSON.stringify(name)}`, {
      field,
    });
  }
  return name;
}

/** The advisory lock every append holds until it commits: one writer at a time per ledger schema. */
export function appendLockKey(schema: string): string {
  return `arrears:audit-ledger:${schema}`;
}

/** The advisory lock a checkpoint holds, so that checkpoints are numbered one after the other. */
export function checkpointLockKey(schema: string): string {
  return `arrears:audit-checkpoint:${schema}`;
}

/**
 * The ledger's numbered migrations. `s` is the quoted schema; `role` the writer role (validated by `ledgerName`).
 *
 * The three tables are insert-only: nothing in the ledger is ever updated (there is no "heads" row to move — the
 * head of each chain is its last row, found under the append lock), and triggers refuse UPDATE, DELETE and
 * TRUNCATE for everyone, the owner included. Removing a trigger needs the owner's rights and leaves every later
 * verification to find what was changed.
 */
export function ledgerMigrations(schema: string, role: string): readonly Migration[] {
  const lock = appendLockKey(schema);
  return [
    {
      id: 1,
      name: 'ledger entries, case chains and checkpoints',
      sql: (s) => `
        create table ${s}.entries (
          seq bigint primary key check (seq > 0),
          event_id uuid not null unique,
          -- the cases the event belongs to, sorted (ledger-event.ts, ledgerCasesOf)
          case_ids uuid[] not null,
          stream_id text not null,
          stream_position bigint not null,
          global_position text not null,
          event_type text not null,
          schema_version integer not null,
          occurred_at timestamptz not null,
          recorded_at timestamptz not null,
          actor_id text not null,
          actor_role text not null,
          -- the envelope without metadata.trace, as canonical JSON; every column above is read from it
          envelope text not null,
          event_hash bytea not null check (octet_length(event_hash) = 32),
          global_hash bytea not null check (octet_length(global_hash) = 32),
          appended_at timestamptz not null default now()
        );

        create table ${s}.case_entries (
          case_id uuid not null,
          case_seq bigint not null check (case_seq > 0),
          seq bigint not null references ${s}.entries (seq),
          case_hash bytea not null check (octet_length(case_hash) = 32),
          primary key (case_id, case_seq)
        );
        create index case_entries_by_seq on ${s}.case_entries (seq);

        create table ${s}.checkpoints (
          number bigint primary key check (number > 0),
          seq bigint not null check (seq > 0),
          global_head bytea not null check (octet_length(global_head) = 32),
          case_heads bytea not null check (octet_length(case_heads) = 32),
          cases bigint not null check (cases >= 0),
          at timestamptz not null,
          key_id text not null,
          -- the canonical JSON that was signed, and the Ed25519 signature over it (base64)
          payload text not null,
          signature text not null,
          written_at timestamptz not null default now()
        );

        -- One call appends a batch of events in order, under the ledger's lock: each envelope's hash and links are
        -- computed here, against the last rows of the chains, in the same transaction that inserts it.
        -- p_items: [{"envelope": "<canonical JSON>", "cases": ["<uuid>", ...]}, ...]
        create function ${s}.append_entries(p_items jsonb)
        returns table (seq bigint, event_id uuid, event_hash bytea, global_hash bytea, appended boolean, case_ids uuid[], case_seqs bigint[], case_hashes bytea[])
        language plpgsql as $fn$
        #variable_conflict use_column
        declare
          v_item jsonb;
          v_text text;
          v_doc jsonb;
          v_event_id uuid;
          v_hash bytea;
          v_existing record;
          v_seq bigint;
          v_prev bytea;
          v_global bytea;
          v_cases uuid[];
          v_case uuid;
          v_case_seq bigint;
          v_case_prev bytea;
          v_case_hash bytea;
          v_case_seqs bigint[];
          v_case_hashes bytea[];
        begin
          perform pg_advisory_xact_lock(hashtext('${lock}'));
          for v_item in select item from jsonb_array_elements(p_items) as items(item) loop
            v_text := v_item->>'envelope';
            v_doc := v_text::jsonb;
            v_event_id := (v_doc->>'eventId')::uuid;
            v_hash := sha256(convert_to(v_text, 'UTF8'));

            select e.seq, e.event_hash, e.global_hash into v_existing from ${s}.entries e where e.event_id = v_event_id;
            if found then
              if v_existing.event_hash <> v_hash then
                raise exception using errcode = '${CONFLICTING_EVENT_SQLSTATE}',
                  message = format('Event %s is already in the ledger at seq %s with other content', v_event_id, v_existing.seq);
              end if;
              select coalesce(array_agg(c.case_id order by c.case_id), '{}'), coalesce(array_agg(c.case_seq order by c.case_id), '{}'),
                     coalesce(array_agg(c.case_hash order by c.case_id), '{}')
                into v_cases, v_case_seqs, v_case_hashes
                from ${s}.case_entries c where c.seq = v_existing.seq;
              seq := v_existing.seq; event_id := v_event_id; event_hash := v_existing.event_hash; global_hash := v_existing.global_hash;
              appended := false; case_ids := v_cases; case_seqs := v_case_seqs; case_hashes := v_case_hashes;
              return next;
              continue;
            end if;

            select e.seq, e.global_hash into v_seq, v_prev from ${s}.entries e order by e.seq desc limit 1;
            v_seq := coalesce(v_seq, 0) + 1;
            v_prev := coalesce(v_prev, decode(repeat('00', 32), 'hex'));
            v_global := sha256(v_prev || int8send(v_seq) || v_hash);
            v_cases := array(select jsonb_array_elements_text(v_item->'cases')::uuid);

            insert into ${s}.entries (seq, event_id, case_ids, stream_id, stream_position, global_position, event_type, schema_version,
                                      occurred_at, recorded_at, actor_id, actor_role, envelope, event_hash, global_hash)
            values (v_seq, v_event_id, v_cases, v_doc->>'streamId', (v_doc->>'streamPosition')::bigint, v_doc->>'globalPosition',
                    v_doc->>'type', (v_doc->>'schemaVersion')::integer, (v_doc->>'occurredAt')::timestamptz,
                    (v_doc->>'recordedAt')::timestamptz, v_doc->'metadata'->>'actorId', v_doc->'metadata'->>'actorRole',
                    v_text, v_hash, v_global);

            v_case_seqs := '{}';
            v_case_hashes := '{}';
            foreach v_case in array v_cases loop
              select c.case_seq, c.case_hash into v_case_seq, v_case_prev
                from ${s}.case_entries c where c.case_id = v_case order by c.case_seq desc limit 1;
              v_case_seq := coalesce(v_case_seq, 0) + 1;
              v_case_prev := coalesce(v_case_prev, decode(repeat('00', 32), 'hex'));
              v_case_hash := sha256(v_case_prev || uuid_send(v_case) || int8send(v_case_seq) || int8send(v_seq) || v_hash);
              insert into ${s}.case_entries (case_id, case_seq, seq, case_hash) values (v_case, v_case_seq, v_seq, v_case_hash);
              v_case_seqs := array_append(v_case_seqs, v_case_seq);
              v_case_hashes := array_append(v_case_hashes, v_case_hash);
            end loop;

            seq := v_seq; event_id := v_event_id; event_hash := v_hash; global_hash := v_global;
            appended := true; case_ids := v_cases; case_seqs := v_case_seqs; case_hashes := v_case_hashes;
            return next;
          end loop;
        end
        $fn$;

        create function ${s}.refuse_change() returns trigger language plpgsql as $fn$
        begin
          raise exception using errcode = '${INSERT_ONLY_SQLSTATE}',
            message = format('%I.%I is insert-only: the audit ledger is never changed or removed', tg_table_schema, tg_table_name);
        end
        $fn$;
        create trigger entries_insert_only before update or delete on ${s}.entries for each row execute function ${s}.refuse_change();
        create trigger entries_no_truncate before truncate on ${s}.entries for each statement execute function ${s}.refuse_change();
        create trigger case_entries_insert_only before update or delete on ${s}.case_entries for each row execute function ${s}.refuse_change();
        create trigger case_entries_no_truncate before truncate on ${s}.case_entries for each statement execute function ${s}.refuse_change();
        create trigger checkpoints_insert_only before update or delete on ${s}.checkpoints for each row execute function ${s}.refuse_change();
        create trigger checkpoints_no_truncate before truncate on ${s}.checkpoints for each statement execute function ${s}.refuse_change();

        -- The service's role: it reads, appends and checkpoints, and can do nothing else here. Roles belong to the
        -- cluster, not the schema, so it is made once (concurrent migrations of other schemas may race to make it).
        do $do$
        begin
          if not exists (select from pg_roles where rolname = '${role}') then
            begin
              create role ${role} nologin;
            exception when duplicate_object or unique_violation then null;
            end;
          end if;
          -- A superuser may SET ROLE to any role; anyone else must be a member to work as the writer.
          if not (select rolsuper from pg_roles where rolname = current_user) and not pg_has_role(current_user, '${role}', 'member') then
            execute format('grant %I to %I', '${role}', current_user);
          end if;
        end
        $do$;
        grant usage on schema ${s} to ${role};
        grant select, insert on ${s}.entries, ${s}.case_entries, ${s}.checkpoints to ${role};
        revoke all on function ${s}.append_entries(jsonb) from public;
        grant execute on function ${s}.append_entries(jsonb) to ${role};`,
    },
  ];
}
