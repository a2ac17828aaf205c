import type { EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier, runMigrations } from '@arrears/event-store';
import type { Pool } from 'pg';
import { caseOwnStreams, casesOf, checkCaseId } from './gather';
import { DEFAULT_EVIDENCE_SCHEMA, EVIDENCE_MIGRATIONS, evidenceSchemaName } from './schema';

export interface CaseIndexOptions {
  readonly pool: Pool;
  /** Default `legal_evidence`, shared with the package store. */
  readonly schema?: string;
}

/** How many (case, stream) pairs an instance remembers having written, to spare the database a write per event. */
const REMEMBERED = 50_000;

/**
 * Which streams hold a case's events (`<schema>.case_streams`). Contact attempts live in the debtor's
 * `contact-<debtorId>` stream and assignments in a team's `roster-<teamId>`, so a case's history cannot be found
 * from its id alone; the service feeds every event it receives to `record`, and `streamsOf` answers from the rows.
 */
export class CaseIndex {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly table: string;
  /** Pairs already in the table: rows are never removed, so a pair once written need not be written again. */
  private readonly written = new Set<string>();

  constructor(options: CaseIndexOptions) {
    this.pool = options.pool;
    this.schema = evidenceSchemaName(options.schema ?? DEFAULT_EVIDENCE_SCHEMA);
    this.table = `${quoteIdentifier(this.schema)}.case_streams`;
  }

  /** Creates or upgrades the schema; safe from every instance at once (the migrations hold an advisory lock). */
  migrate(): Promise<void> {
    return runMigrations(this.pool, this.schema, EVIDENCE_MIGRATIONS);
  }

  /**
   * Notes the event's stream under each case it belongs to (`casesOf`: `metadata.caseId`, and `data.caseId` when
   * the data names one); an event of no case is ignored. Idempotent: redelivering an event, or any number of
   * instances recording it at once, leaves one row. Resolves with the number of pairs new to the table.
   */
  async record(event: EventEnvelope): Promise<number> {
    const pending = casesOf(event).filter((caseId) => !this.written.has(`${caseId} ${event.streamId}`));
    if (pending.length === 0) return 0;
    const { rowCount } = await this.pool.query(
      `insert into ${this.table} (case_id, stream_id, first_event_id)
       select case_id, $2, $3 from unnest($1::uuid[]) as case_id
       on conflict (case_id, stream_id) do nothing`,
      [pending, event.streamId, event.eventId],
    );
    if (this.written.size + pending.length > REMEMBERED) this.written.clear();
    for (const caseId of pending) this.written.add(`${caseId} ${event.streamId}`);
    return rowCount ?? 0;
  }

  /** The streams recorded for the case and its own streams by name (`caseOwnStreams`), sorted, each once. */
  async streamsOf(caseId: string): Promise<string[]> {
    const id = checkCaseId(caseId);
    const { rows } = await this.pool.query<{ stream_id: string }>(`select stream_id from ${this.table} where case_id = $1`, [id]);
    return [...new Set([...rows.map((row) => row.stream_id), ...caseOwnStreams(id)])].sort();
  }
}
