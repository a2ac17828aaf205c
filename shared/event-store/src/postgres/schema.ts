import type { Migration } from './migrations';

/**
 * The store's tables. `events` is ordered for readers by (transaction_id, global_position): the id of the
 * writing transaction first, because sequence numbers are taken at insert but become visible at commit, in
 * another order. A reader only looks below the oldest transaction still running (see `readAll`), so whatever
 * it has passed can never be joined by an earlier-ordered event later.
 */
export const EVENT_STORE_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'events and streams',
    sql: (s) => `
      create table ${s}.streams (
        stream_id text primary key,
        -- position of the last event ever appended (deleted ones included), so positions are never reused
        version bigint not null,
        deleted boolean not null default false
      );

      create table ${s}.events (
        transaction_id xid8 not null default pg_current_xact_id(),
        global_position bigint generated always as identity,
        event_id uuid not null,
        stream_id text not null,
        stream_position bigint not null,
        category text not null,
        event_type text not null,
        schema_version integer not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now(),
        data jsonb not null,
        metadata jsonb not null,
        constraint events_pkey primary key (transaction_id, global_position),
        constraint events_event_id_key unique (event_id),
        constraint events_stream_key unique (stream_id, stream_position)
      );
      create index events_category_idx on ${s}.events (category, transaction_id, global_position);

      -- Raised codes: AR409 the expected version did not hold (detail: the actual version or no_stream);
      -- AR422 event ids already used, but not as this same batch in this stream (detail: the first such id).

      -- A version check failed or an event id was already taken: succeed only if this exact batch is
      -- already in this stream at consecutive positions (a retried append), returning the original result.
      create function ${s}.appended_before(p_stream_id text, p_events jsonb)
      returns table (next_version bigint, transaction_id text, global_position bigint)
      language plpgsql as $fn$
      declare
        v_size bigint := jsonb_array_length(p_events);
        v_found bigint;
        v_in_stream bigint;
        v_offsets bigint;
        v_first text;
        v_actual text;
      begin
        select count(*), count(*) filter (where e.stream_id = p_stream_id), count(distinct e.stream_position - b.n), min(e.event_id::text)
          into v_found, v_in_stream, v_offsets, v_first
          from jsonb_to_recordset(p_events) as b(event_id uuid, n bigint)
          join ${s}.events e on e.event_id = b.event_id;
        if v_found = 0 then
          select case when st.deleted then 'no_stream' else st.version::text end into v_actual
            from ${s}.streams st where st.stream_id = p_stream_id;
          raise exception using errcode = 'AR409', message = 'concurrency conflict', detail = coalesce(v_actual, 'no_stream');
        end if;
        if v_found <> v_size or v_in_stream <> v_size or v_offsets <> 1 then
          raise exception using errcode = 'AR422', message = 'idempotency conflict', detail = v_first;
        end if;
        return query
          select e.stream_position, e.transaction_id::text, e.global_position
            from jsonb_to_recordset(p_events) as b(event_id uuid, n bigint)
            join ${s}.events e on e.event_id = b.event_id
           order by b.n desc
           limit 1;
      end
      $fn$;

      -- One round trip per append: check and move the stream's version under its row lock, then insert.
      -- The row lock also makes one stream's positions commit in order.
      create function ${s}.append_to_stream(p_stream_id text, p_expected text, p_events jsonb)
      returns table (next_version bigint, transaction_id text, global_position bigint)
      language plpgsql as $fn$
      declare
        v_count bigint := jsonb_array_length(p_events);
        v_version bigint;
      begin
        if p_expected = 'any' then
          insert into ${s}.streams as st (stream_id, version) values (p_stream_id, v_count - 1)
            on conflict (stream_id) do update set version = st.version + v_count, deleted = false
            returning st.version into v_version;
        elsif p_expected = 'no_stream' then
          insert into ${s}.streams as st (stream_id, version) values (p_stream_id, v_count - 1)
            on conflict (stream_id) do update set version = st.version + v_count, deleted = false where st.deleted
            returning st.version into v_version;
        elsif p_expected = 'stream_exists' then
          update ${s}.streams st set version = st.version + v_count
            where st.stream_id = p_stream_id and not st.deleted
            returning st.version into v_version;
        else
          update ${s}.streams st set version = st.version + v_count
            where st.stream_id = p_stream_id and not st.deleted and st.version = p_expected::bigint
            returning st.version into v_version;
        end if;

        if v_version is null then
          return query select * from ${s}.appended_before(p_stream_id, p_events);
          return;
        end if;

        return query
          with inserted as (
            insert into ${s}.events as ev
                   (event_id, stream_id, stream_position, category, event_type, schema_version, occurred_at, data, metadata)
            select b.event_id, p_stream_id, v_version - v_count + 1 + b.n, split_part(p_stream_id, '-', 1),
                   b.event_type, b.schema_version, b.occurred_at, b.data, b.metadata
              from jsonb_to_recordset(p_events)
                   as b(n bigint, event_id uuid, event_type text, schema_version integer, occurred_at timestamptz, data jsonb, metadata jsonb)
             order by b.n
            returning ev.global_position
          )
          select v_version, pg_current_xact_id()::text, max(i.global_position) from inserted i;
      end
      $fn$;

      create function ${s}.delete_stream(p_stream_id text, p_expected text) returns void
      language plpgsql as $fn$
      declare
        v_version bigint;
        v_exists boolean;
      begin
        select st.version, not st.deleted into v_version, v_exists from ${s}.streams st where st.stream_id = p_stream_id for update;
        v_exists := coalesce(v_exists, false);
        if not (p_expected = 'any'
                or (p_expected = 'no_stream' and not v_exists)
                or (p_expected = 'stream_exists' and v_exists)
                or (p_expected ~ '^[0-9]+$' and v_exists and v_version = p_expected::bigint)) then
          raise exception using errcode = 'AR409', message = 'concurrency conflict',
            detail = case when v_exists then v_version::text else 'no_stream' end;
        end if;
        if v_exists then
          update ${s}.streams set deleted = true where stream_id = p_stream_id;
          delete from ${s}.events where stream_id = p_stream_id;
        end if;
      end
      $fn$;
    `,
  },
  {
    id: 2,
    name: 'a stream in the order of the global log',
    // The same function, refusing an append that would put a stream's events ahead of its earlier ones in the global
    // log (global-log-races.int.spec.ts). The store retries such an append in a new transaction.
    sql: (s) => `
      create or replace function ${s}.append_to_stream(p_stream_id text, p_expected text, p_events jsonb)
      returns table (next_version bigint, transaction_id text, global_position bigint)
      language plpgsql as $fn$
      declare
        v_count bigint := jsonb_array_length(p_events);
        v_version bigint;
      begin
        if p_expected = 'any' then
          insert into ${s}.streams as st (stream_id, version) values (p_stream_id, v_count - 1)
            on conflict (stream_id) do update set version = st.version + v_count, deleted = false
            returning st.version into v_version;
        elsif p_expected = 'no_stream' then
          insert into ${s}.streams as st (stream_id, version) values (p_stream_id, v_count - 1)
            on conflict (stream_id) do update set version = st.version + v_count, deleted = false where st.deleted
            returning st.version into v_version;
        elsif p_expected = 'stream_exists' then
          update ${s}.streams st set version = st.version + v_count
            where st.stream_id = p_stream_id and not st.deleted
            returning st.version into v_version;
        else
          update ${s}.streams st set version = st.version + v_count
            where st.stream_id = p_stream_id and not st.deleted and st.version = p_expected::bigint
            returning st.version into v_version;
        end if;

        if v_version is null then
          return query select * from ${s}.appended_before(p_stream_id, p_events);
          return;
        end if;

        -- The global log orders by transaction id: a transaction whose id was taken before the stream's last append
        -- committed (it wrote elsewhere first, or lost a race to create the stream) would put these events ahead of
        -- that append's. Refused as a serialization failure: retried in a new transaction, it comes after.
        if v_version - v_count >= 0 and exists (
             select 1 from ${s}.events e
              where e.stream_id = p_stream_id and e.stream_position = v_version - v_count
                and e.transaction_id > pg_current_xact_id()) then
          raise exception using errcode = '40001',
            message = format('stream %s was last appended by a transaction that began after this one: retry in a new transaction', p_stream_id);
        end if;

        return query
          with inserted as (
            insert into ${s}.events as ev
                   (event_id, stream_id, stream_position, category, event_type, schema_version, occurred_at, data, metadata)
            select b.event_id, p_stream_id, v_version - v_count + 1 + b.n, split_part(p_stream_id, '-', 1),
                   b.event_type, b.schema_version, b.occurred_at, b.data, b.metadata
              from jsonb_to_recordset(p_events)
                   as b(n bigint, event_id uuid, event_type text, schema_version integer, occurred_at timestamptz, data jsonb, metadata jsonb)
             order by b.n
            returning ev.global_position
          )
          select v_version, pg_current_xact_id()::text, max(i.global_position) from inserted i;
      end
      $fn$;
    `,
  },
];
