import { ArrearsError, ErrorCode, EventEnvelopeSchema, IdSchema, InstantSchema, validationFailed, type EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier, runMigrations } from '@arrears/event-store';
import type { Pool, PoolClient, PoolConfig } from 'pg';
import { RECORD_CASE_HASH_OK, RECORD_EVENT_HASH_OK, RECORD_HAS_ENTRY, RECORD_MEMBER, type CaseRow } from './case-scan';
import { caseHeadsLink, CaseHeadLines, GENESIS } from './chain';
import { sha256Hex } from './canonical-json';
import { signCheckpoint, type Checkpoint } from './checkpoint';
import { ledgerCasesOf, ledgerText } from './ledger-event';
import type { LedgerRow } from './ledger-scan';
import {
  checkpointLockKey,
  CONFLICTING_EVENT_SQLSTATE,
  DEFAULT_LEDGER_SCHEMA,
  DEFAULT_WRITER_ROLE,
  ledgerMigrations,
  ledgerName,
} from './schema';
import type { CheckpointSigner } from './signer';

export interface AuditLedgerOptions {
  readonly pool: Pool;
  /** Default `audit_ledger`. */
  readonly schema?: string;
  /** The role `migrate()` grants the ledger's rights to; default `arrears_audit_writer`. */
  readonly writerRole?: string;
  /** Signs checkpoints; `checkpoint()` refuses to run without one. */
  readonly signer?: CheckpointSigner;
}

/** What an append did: the entry the event has in the ledger, and whether this call wrote it. */
export interface LedgerAppend {
  readonly seq: number;
  readonly eventId: string;
  readonly eventHash: string;
  readonly globalHash: string;
  /** Its place in each case chain it belongs to, by case id. */
  readonly cases: readonly { readonly caseId: string; readonly caseSeq: number; readonly caseHash: string }[];
  /** False when the event was already in the ledger (a redelivery): nothing was written. */
  readonly appended: boolean;
}

/** One ledger entry as stored. */
export interface LedgerEntry {
  readonly seq: number;
  readonly eventId: string;
  readonly caseIds: readonly string[];
  readonly streamId: string;
  readonly streamPosition: number;
  readonly globalPosition: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actorId: string;
  readonly actorRole: string;
  /** When the ledger wrote it (the database's clock). */
  readonly appendedAt: string;
  /** The canonical JSON that was hashed. */
  readonly text: string;
  readonly eventHash: string;
  readonly globalHash: string;
  /** `text` parsed: the envelope as the store holds it, without `metadata.trace`. */
  readonly event: EventEnvelope;
}

/** An entry as one case chain holds it. */
export interface CaseLedgerEntry extends LedgerEntry {
  readonly caseId: string;
  readonly caseSeq: number;
  readonly caseHash: string;
}

/** A checkpoint as the table holds it: the columns, and the signed text that verification trusts instead. */
export interface StoredCheckpoint {
  readonly number: number;
  readonly seq: number;
  readonly globalHead: string;
  readonly caseHeads: string;
  readonly cases: number;
  readonly at: string;
  readonly keyId: string;
  readonly text: string;
  readonly signature: string;
}

/** One case entry with what `verifyCase` checks it against: its entry, and the global hash before it. */
export interface CaseChainRow extends CaseRow {
  readonly text: string | null;
  readonly globalHash: Buffer | null;
  readonly globalPosition: string | null;
  readonly columns: string | null;
  /** The global hash of entry seq-1 (GENESIS for seq 1); null when that entry is missing. */
  readonly previousGlobalHash: Buffer | null;
}

/**
 * The pool settings that make every connection work as the writer role (`SET ROLE` at connection start, through
 * the `options` startup parameter): with them the service can read and append, and cannot update, delete or
 * truncate anything in the ledger whatever user it logs in as. Migrations need the owner's rights, so run them on
 * another pool (docs/audit-ledger.md, "The role").
 */
export function writerPoolConfig(role: string = DEFAULT_WRITER_ROLE): PoolConfig {
  return { options: `-c role=${ledgerName(role, 'writerRole')}` };
}

const UTC_ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const utc = (column: string) => `to_char(${column} at time zone 'UTC', ${UTC_ISO})`;
const ENTRY_COLUMNS = (e: string) =>
  `${e}.seq, ${e}.event_id::text, ${e}.case_ids::text[], ${e}.stream_id, ${e}.stream_position, ${e}.global_position, ${e}.event_type,
   ${utc(`${e}.occurred_at`)}, ${utc(`${e}.recorded_at`)}, ${e}.actor_id, ${e}.actor_role, ${utc(`${e}.appended_at`)}, ${e}.envelope,
   encode(${e}.event_hash, 'hex'), encode(${e}.global_hash, 'hex')`;
/** `columnsKey` (ledger-event.ts) written by PostgreSQL: the derived columns, chr(31) between them. */
const COLUMNS_KEY = (e: string) =>
  `concat_ws(chr(31), ${e}.event_id::text, ${e}.stream_id, ${e}.stream_position::text, ${e}.global_position, ${e}.event_type,
   ${e}.schema_version::text, ${utc(`${e}.occurred_at`)}, ${utc(`${e}.recorded_at`)}, ${e}.actor_id, ${e}.actor_role,
   array_to_string(${e}.case_ids, ','))`;

type EntryTuple = [string, string, string[], string, string, string, string, string, string, string, string, string, string, string, string];

function toEntry(row: EntryTuple): LedgerEntry {
  const [seq, eventId, caseIds, streamId, streamPosition, globalPosition, type, occurredAt, recordedAt, actorId, actorRole, appendedAt, text, eventHash, globalHash] = row;
  return {
    seq: Number(seq),
    eventId,
    caseIds,
    streamId,
    streamPosition: Number(streamPosition),
    globalPosition,
    type,
    occurredAt,
    recordedAt,
    actorId,
    actorRole,
    appendedAt,
    text,
    eventHash,
    globalHash,
    event: JSON.parse(text) as EventEnvelope,
  };
}

/**
 * The audit ledger in PostgreSQL: every event of the platform, in the order the relay published it (the store's
 * global order), in an insert-only table with two hash chains — one through every entry, one through each case's
 * entries — and signed checkpoints of their heads. See docs/audit-ledger.md.
 */
export class AuditLedger {
  readonly schema: string;
  readonly writerRole: string;
  private readonly pool: Pool;
  private readonly signer: CheckpointSigner | undefined;
  private readonly s: string;
  private readonly statementPrefix: string;

  constructor(options: AuditLedgerOptions) {
    this.pool = options.pool;
    this.schema = ledgerName(options.schema ?? DEFAULT_LEDGER_SCHEMA, 'schema');
    this.writerRole = ledgerName(options.writerRole ?? DEFAULT_WRITER_ROLE, 'writerRole');
    this.signer = options.signer;
    this.s = quoteIdentifier(this.schema);
    this.statementPrefix = sha256Hex(this.schema).slice(0, 12);
  }

  /**
   * A prepared statement's name: short whatever the schema's (PostgreSQL cuts names at 63 bytes, and two cut to the
   * same prefix would be one statement), and different for each schema a connection may serve.
   */
  private statement(kind: string): string {
    return `audit-ledger:${this.statementPrefix}:${kind}`;
  }

  /** Creates or upgrades the schema and the writer role's grants; needs the owner's rights. Safe from every instance at once. */
  migrate(): Promise<void> {
    return runMigrations(this.pool, this.schema, ledgerMigrations(this.schema, this.writerRole));
  }

  /**
   * Appends the event after every entry before it; call it in the order the events are delivered. An event already
   * in the ledger (a redelivery) writes nothing and gives back its entry. The same event id with other content is
   * refused with IDEMPOTENCY_CONFLICT; a malformed envelope with VALIDATION_FAILED naming the field. One round trip.
   */
  async append(event: EventEnvelope): Promise<LedgerAppend> {
    const [appended] = await this.appendItems([this.item(event, undefined)]);
    if (appended === undefined) throw new Error('append_entries returned no row');
    return appended;
  }

  /** Appends events in the order given, in one transaction (all or none): what `append` does for each. */
  async appendAll(events: readonly EventEnvelope[]): Promise<LedgerAppend[]> {
    if (events.length === 0) return [];
    return this.appendItems(events.map((event, index) => this.item(event, `events[${index}]`)));
  }

  private item(event: EventEnvelope, field: string | undefined): { readonly envelope: string; readonly cases: string[] } {
    const parsed = EventEnvelopeSchema.safeParse(event);
    if (!parsed.success) throw validationFailed(parsed.error, field);
    return { envelope: ledgerText(event), cases: ledgerCasesOf(event) };
  }

  private async appendItems(items: readonly { readonly envelope: string; readonly cases: string[] }[]): Promise<LedgerAppend[]> {
    type AppendRow = [string, string, Buffer, Buffer, boolean, string[], string[], Buffer[]];
    let rows: AppendRow[];
    try {
      rows = (
        await this.pool.query<AppendRow>({
          name: this.statement('append'),
          text: `select seq, event_id::text, event_hash, global_hash, appended, case_ids::text[], case_seqs::text[], case_hashes from ${this.s}.append_entries($1::jsonb)`,
          values: [JSON.stringify(items)],
          rowMode: 'array',
        })
      ).rows;
    } catch (error) {
      if ((error as { code?: string }).code === CONFLICTING_EVENT_SQLSTATE) {
        throw new ArrearsError(ErrorCode.IDEMPOTENCY_CONFLICT, (error as Error).message, { field: 'eventId', cause: error });
      }
      throw error;
    }
    return rows.map(([seq, eventId, eventHash, globalHash, appended, caseIds, caseSeqs, caseHashes]) => ({
      seq: Number(seq),
      eventId,
      eventHash: eventHash.toString('hex'),
      globalHash: globalHash.toString('hex'),
      cases: caseIds.map((caseId, index) => ({ caseId, caseSeq: Number(caseSeqs[index]), caseHash: (caseHashes[index] as Buffer).toString('hex') })),
      appended,
    }));
  }

  /** The last entry's seq (0 when empty) and global hash. */
  async head(): Promise<{ readonly seq: number; readonly globalHash: string | null }> {
    const { rows } = await this.pool.query<[string, string]>({
      text: `select seq, encode(global_hash, 'hex') from ${this.s}.entries order by seq desc limit 1`,
      rowMode: 'array',
    });
    const row = rows[0];
    return row === undefined ? { seq: 0, globalHash: null } : { seq: Number(row[0]), globalHash: row[1] };
  }

  /** Entries in order, strictly after `afterSeq` (default 0), at most `limit` (default 1,000; at most 10,000). */
  async entries(options: { readonly afterSeq?: number; readonly limit?: number } = {}): Promise<LedgerEntry[]> {
    const afterSeq = count(options.afterSeq ?? 0, 'afterSeq');
    const limit = Math.min(count(options.limit ?? 1_000, 'limit'), 10_000);
    const { rows } = await this.pool.query<EntryTuple>({
      name: this.statement('entries'),
      text: `select ${ENTRY_COLUMNS('e')} from ${this.s}.entries e where e.seq > $1 order by e.seq limit $2`,
      values: [afterSeq, limit],
      rowMode: 'array',
    });
    return rows.map(toEntry);
  }

  /**
   * A case's entries in its chain's order (which is the global order), each with its event. With `until` (an
   * instant), only those the store had recorded by then (`recordedAt` at or before it): what the platform knew at
   * that moment. A replay on business time (`occurredAt`) reads them all and filters itself.
   */
  async entriesOfCase(caseId: string, options: { readonly until?: string } = {}): Promise<CaseLedgerEntry[]> {
    const id = checkCaseId(caseId);
    if (options.until !== undefined && !InstantSchema.safeParse(options.until).success) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `until must be an ISO-8601 instant with an offset, not ${JSON.stringify(options.until)}`, { field: 'until' });
    }
    const { rows } = await this.pool.query<[...EntryTuple, string, string]>({
      name: this.statement('entries-of-case'),
      text: `select ${ENTRY_COLUMNS('e')}, c.case_seq, encode(c.case_hash, 'hex')
             from ${this.s}.case_entries c join ${this.s}.entries e on e.seq = c.seq
             where c.case_id = $1 and ($2::timestamptz is null or e.recorded_at <= $2::timestamptz)
             order by c.case_seq`,
      values: [id, options.until ?? null],
      rowMode: 'array',
    });
    return rows.map((row) => ({ ...toEntry(row.slice(0, 15) as EntryTuple), caseId: id, caseSeq: Number(row[15]), caseHash: row[16] }));
  }

  /** `entriesOfCase(…)`'s events: what the replay takes. */
  async eventsOfCase(caseId: string, options: { readonly until?: string } = {}): Promise<EventEnvelope[]> {
    return (await this.entriesOfCase(caseId, options)).map((entry) => entry.event);
  }

  /**
   * Signs the heads of the chains as they are now: the last entry's seq and global hash, and the case heads digest
   * (chain.ts, `caseHeadsLink`: the previous checkpoint's digest and the heads of the cases that grew since). Writes
   * nothing when no entry was appended since the last checkpoint (it is given back with `created: false`), and
   * nothing on an empty ledger (undefined). Checkpoints are numbered 1, 2, 3… under an advisory lock, so several
   * instances may call it on a timer. `at` defaults to now.
   */
  async checkpoint(options: { readonly at?: string } = {}): Promise<{ readonly checkpoint: Checkpoint; readonly created: boolean } | undefined> {
    const signer = this.signer;
    if (signer === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'This ledger was opened without a signer: checkpoints need one (signerFromEnv())', { field: 'signer' });
    const at = options.at ?? new Date().toISOString();
    if (!InstantSchema.safeParse(at).success) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `at must be an ISO-8601 instant, not ${JSON.stringify(at)}`, { field: 'at' });
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [checkpointLockKey(this.schema)]);
      const latest = (await this.storedCheckpoints(client, 'latest'))[0];
      const head = await client.query<[string, Buffer]>({ text: `select seq, global_hash from ${this.s}.entries order by seq desc limit 1`, rowMode: 'array' });
      const headRow = head.rows[0];
      if (headRow === undefined) {
        await client.query('commit');
        return undefined;
      }
      const seq = Number(headRow[0]);
      if (latest !== undefined && latest.seq >= seq) {
        await client.query('commit');
        return { checkpoint: { ...latest, format: 'arrears-audit-checkpoint/1' }, created: false };
      }
      const since = latest?.seq ?? 0;
      const lines = new CaseHeadLines();
      let after: string | null = null;
      for (;;) {
        const page: { rows: [string, Buffer][] } = await client.query<[string, Buffer]>({
          text: `select distinct on (c.case_id) c.case_id::text, c.case_hash from ${this.s}.case_entries c
                 where c.seq > $1 and c.seq <= $2 ${after === null ? '' : 'and c.case_id > $4::uuid'}
                 order by c.case_id, c.case_seq desc limit $3`,
          values: after === null ? [since, seq, CHECKPOINT_PAGE] : [since, seq, CHECKPOINT_PAGE, after],
          rowMode: 'array',
        });
        for (const [caseId, caseHash] of page.rows) lines.add(caseId, caseHash);
        const last = page.rows[page.rows.length - 1];
        if (page.rows.length < CHECKPOINT_PAGE || last === undefined) break;
        after = last[0];
      }
      const newCases = await client.query<[string]>({
        text: `select count(*) from ${this.s}.case_entries c where c.case_seq = 1 and c.seq > $1 and c.seq <= $2`,
        values: [since, seq],
        rowMode: 'array',
      });
      const previousHeads = latest === undefined ? GENESIS : Buffer.from(latest.caseHeads, 'hex');
      const checkpoint = signCheckpoint(
        {
          number: (latest?.number ?? 0) + 1,
          seq,
          globalHead: headRow[1].toString('hex'),
          caseHeads: caseHeadsLink(previousHeads, lines.digest()).toString('hex'),
          cases: (latest?.cases ?? 0) + Number(newCases.rows[0]?.[0] ?? 0),
          at: new Date(at).toISOString(),
        },
        signer,
      );
      await client.query(
        `insert into ${this.s}.checkpoints (number, seq, global_head, case_heads, cases, at, key_id, payload, signature)
         values ($1, $2, decode($3, 'hex'), decode($4, 'hex'), $5, $6, $7, $8, $9)`,
        [checkpoint.number, checkpoint.seq, checkpoint.globalHead, checkpoint.caseHeads, checkpoint.cases, checkpoint.at, checkpoint.keyId, checkpoint.text, checkpoint.signature],
      );
      await client.query('commit');
      return { checkpoint, created: true };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Every checkpoint as stored, in number order (or only the latest). Verification trusts only their signed text. */
  async storedCheckpoints(client: Pool | PoolClient = this.pool, which: 'all' | 'latest' = 'all'): Promise<StoredCheckpoint[]> {
    const { rows } = await client.query<[string, string, string, string, string, string, string, string, string]>({
      text: `select number, seq, encode(global_head, 'hex'), encode(case_heads, 'hex'), cases, ${utc('at')}, key_id, payload, signature
             from ${this.s}.checkpoints order by number ${which === 'latest' ? 'desc limit 1' : ''}`,
      rowMode: 'array',
    });
    return rows.map(([number, seq, globalHead, caseHeads, cases, at, keyId, text, signature]) => ({
      number: Number(number),
      seq: Number(seq),
      globalHead,
      caseHeads,
      cases: Number(cases),
      at,
      keyId,
      text,
      signature,
    }));
  }

  /** For verification: entries after `afterSeq` up to `throughSeq`, as the scanner reads them. */
  async readEntryRows(afterSeq: number, throughSeq: number, limit: number): Promise<LedgerRow[]> {
    // The hashes as hex text: a string costs this process less than a Buffer, and the scanner hashes into hex.
    const { rows } = await this.pool.query<[string, string, string, string, string, string, string, number]>({
      name: this.statement('scan-entries'),
      text: `select e.seq, e.event_id::text, e.global_position, e.envelope, encode(e.event_hash, 'hex'), encode(e.global_hash, 'hex'),
                    ${COLUMNS_KEY('e')}, cardinality(e.case_ids)
             from ${this.s}.entries e where e.seq > $1 and e.seq <= $2 order by e.seq limit $3`,
      values: [afterSeq, throughSeq, limit],
      rowMode: 'array',
    });
    const result: LedgerRow[] = new Array(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      const [seq, eventId, globalPosition, text, eventHash, globalHash, columns, caseCount] = rows[index] as (typeof rows)[number];
      result[index] = { seq: Number(seq), eventId, globalPosition, text, eventHash, globalHash, columns, caseCount };
    }
    return result;
  }

  /**
   * For verification: whole case chains, by case id after `afterCaseId`, at most `limit` cases, each entry packed by
   * PostgreSQL into a fixed-width record (case-scan.ts, `CASE_RECORD_BYTES`), so that reading a case entry costs this
   * process a few bytes of one buffer rather than a row of values. Entries after `throughSeq` are left out.
   */
  async readCaseChains(afterCaseId: string | undefined, throughSeq: number, limit: number): Promise<{ readonly caseId: string; readonly records: Buffer }[]> {
    const zeros = `decode(repeat('00', 32), 'hex')`;
    const { rows } = await this.pool.query<[string, Buffer]>({
      name: this.statement(`scan-case-chains${afterCaseId === undefined ? '-first' : ''}`),
      text: `select c.case_id::text, string_agg(
                int8send(c.case_seq) || int8send(c.seq)
                || case when octet_length(c.case_hash) = 32 then c.case_hash else ${zeros} end
                || case when octet_length(e.event_hash) = 32 then e.event_hash else ${zeros} end
                || set_byte('\\x00'::bytea, 0,
                     (case when e.seq is null then 0 else ${RECORD_HAS_ENTRY} end)
                     | (case when c.case_id = any(e.case_ids) then ${RECORD_MEMBER} else 0 end)
                     | (case when octet_length(c.case_hash) = 32 then ${RECORD_CASE_HASH_OK} else 0 end)
                     | (case when octet_length(e.event_hash) = 32 then ${RECORD_EVENT_HASH_OK} else 0 end)),
                ''::bytea order by c.case_seq)
             from ${this.s}.case_entries c left join ${this.s}.entries e on e.seq = c.seq
             where ${afterCaseId === undefined ? '$1::uuid is null' : 'c.case_id > $1::uuid'} and c.seq <= $2
             group by c.case_id order by c.case_id limit $3`,
      values: [afterCaseId ?? null, throughSeq, limit],
      rowMode: 'array',
    });
    return rows.map(([caseId, records]) => ({ caseId, records }));
  }

  /** The event ids of these seqs (for naming the events of problems found without them). */
  async eventIdsAt(seqs: readonly number[]): Promise<Map<number, string>> {
    if (seqs.length === 0) return new Map();
    const { rows } = await this.pool.query<[string, string]>({
      text: `select seq, event_id::text from ${this.s}.entries where seq = any($1::bigint[])`,
      values: [seqs],
      rowMode: 'array',
    });
    return new Map(rows.map(([seq, eventId]) => [Number(seq), eventId]));
  }

  /** For `verifyCase`: one case's chain with each entry and the global hash before it. */
  async readCaseChain(caseId: string, afterCaseSeq: number, limit: number): Promise<CaseChainRow[]> {
    const id = checkCaseId(caseId);
    const { rows } = await this.pool.query<
      [string, string, string, Buffer, string | null, Buffer | null, boolean | null, string | null, Buffer | null, string | null, string | null, Buffer | null]
    >({
      name: this.statement('case-chain'),
      text: `select c.case_id::text, c.case_seq, c.seq, c.case_hash, e.event_id::text, e.event_hash, c.case_id = any(e.case_ids),
                    e.envelope, e.global_hash, e.global_position, ${COLUMNS_KEY('e')},
                    case when c.seq = 1 then decode(repeat('00', 32), 'hex') else p.global_hash end
             from ${this.s}.case_entries c
             left join ${this.s}.entries e on e.seq = c.seq
             left join ${this.s}.entries p on p.seq = c.seq - 1
             where c.case_id = $1 and c.case_seq > $2 order by c.case_seq limit $3`,
      values: [id, afterCaseSeq, limit],
      rowMode: 'array',
    });
    return rows.map(([rowCaseId, caseSeq, seq, caseHash, eventId, eventHash, member, text, globalHash, globalPosition, columns, previousGlobalHash]) => ({
      caseId: rowCaseId,
      caseSeq: Number(caseSeq),
      seq: Number(seq),
      caseHash,
      eventId,
      eventHash,
      member,
      text,
      globalHash,
      globalPosition,
      columns: eventId === null ? null : columns,
      previousGlobalHash,
    }));
  }

  /** For verification when the case links do not add up: the first entry whose case entries are not its case_ids. */
  async firstMislinkedEntry(throughSeq: number): Promise<{ readonly seq: number; readonly eventId: string; readonly caseIds: string; readonly linked: string } | undefined> {
    const { rows } = await this.pool.query<[string, string, string, string]>({
      text: `select e.seq, e.event_id::text, array_to_string(e.case_ids, ','), coalesce(l.linked, '')
             from ${this.s}.entries e
             left join lateral (select string_agg(c.case_id::text, ',' order by c.case_id) as linked from ${this.s}.case_entries c where c.seq = e.seq) l on true
             where e.seq <= $1 and array_to_string(e.case_ids, ',') is distinct from coalesce(l.linked, '')
             order by e.seq limit 1`,
      values: [throughSeq],
      rowMode: 'array',
    });
    const row = rows[0];
    return row === undefined ? undefined : { seq: Number(row[0]), eventId: row[1], caseIds: row[2], linked: row[3] };
  }
}

const CHECKPOINT_PAGE = 10_000;

function checkCaseId(caseId: string): string {
  if (!IdSchema.safeParse(caseId).success) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A case id is a UUID, not ${JSON.stringify(caseId)}`, { field: 'caseId' });
  return caseId.toLowerCase();
}

function count(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} must be a non-negative integer, not ${value}`, { field });
  return value;
}

/**
 * Runs `checkpoint()` every `everyMs` until stopped; a tick while a checkpoint is still running is skipped, and a
 * failure goes to `onError` and the next tick tries again.
 */
export function scheduleCheckpoints(ledger: Pick<AuditLedger, 'checkpoint'>, options: { readonly everyMs: number; readonly onError?: (error: unknown) => void }) {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = ledger
      .checkpoint()
      .then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      )
      .finally(() => {
        running = undefined;
      });
  }, options.everyMs);
  timer.unref();
  return {
    /** Stops the timer and waits for a checkpoint in progress. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
