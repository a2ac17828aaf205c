import { randomUUID } from 'node:crypto';
import type { EventEnvelope, NewEvent } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { createTestSchema, newEvent, untilLogSettled, type TestSchema } from '@arrears/testing';
import type { Pool, PoolClient } from 'pg';
import { AuditLedger } from '../audit-ledger';
import { caseLink, eventHash, GENESIS, globalLink, uuidBytes } from '../chain';
import { signerFromEnv } from '../signer';

/** A PostgreSQL event store and a ledger, each in a schema of its own. */
export interface LedgerHarness {
  readonly store: PostgresEventStore;
  readonly ledger: AuditLedger;
  readonly storeSchema: TestSchema;
  readonly ledgerSchema: TestSchema;
  /** The ledger's schema, quoted, to qualify table names in SQL. */
  readonly table: (name: 'entries' | 'case_entries' | 'checkpoints') => string;
  /** Feeds the ledger every store event it has not seen, as the service's consumer would (`limit` stops after that many). */
  feed(options?: { readonly skip?: (event: EventEnvelope) => boolean; readonly limit?: number }): Promise<EventEnvelope[]>;
  drop(): Promise<void>;
}

export async function openHarness(): Promise<LedgerHarness> {
  const storeSchema = await createTestSchema('audit_store');
  const ledgerSchema = await createTestSchema('audit_ledger');
  const store = new PostgresEventStore({ pool: storeSchema.pool, schema: storeSchema.name });
  await store.migrate();
  const ledger = new AuditLedger({ pool: ledgerSchema.pool, schema: ledgerSchema.name, signer: signerFromEnv({ NODE_ENV: 'test' }) });
  await ledger.migrate();
  let fedUpTo: EventEnvelope['globalPosition'] | undefined;
  return {
    store,
    ledger,
    storeSchema,
    ledgerSchema,
    table: (name) => `"${ledgerSchema.name}".${name}`,
    async feed(options = {}) {
      const fed: EventEnvelope[] = [];
      // Everything written so far, not only what the log shows yet while another file's transaction is open.
      await untilLogSettled(storeSchema);
      const events = await store.readAll(fedUpTo === undefined ? {} : { after: fedUpTo });
      for (const event of events.slice(0, options.limit ?? events.length)) {
        fedUpTo = event.globalPosition;
        if (options.skip?.(event) === true) continue;
        await ledger.append(relayed(event));
        fed.push(event);
      }
      return fed;
    },
    async drop() {
      await store.close();
      await storeSchema.drop();
      await ledgerSchema.drop();
    },
  };
}

/**
 * The event as a consumer gets it from NATS: the relay replaces the trace context with its producer span's (and
 * starts a trace for an event written outside one).
 */
export function relayed(event: EventEnvelope): EventEnvelope {
  const traceId = event.metadata.trace?.traceparent.slice(3, 35) ?? randomUUID().replace(/-/g, '');
  return { ...event, metadata: { ...event.metadata, trace: { traceparent: `00-${traceId}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01` } } };
}

/** A UUID as `randomUUID` types it, which `newEvent` takes as a case id. */
export type Uuid = ReturnType<typeof randomUUID>;

export interface History {
  readonly cases: readonly Uuid[];
  /** The roster team's stream, shared by the cases. */
  readonly roster: string;
}

/**
 * A small platform history in the store: `cases` accounts with payments, promises and a shared roster stream whose
 * events name a second case in their data, some events traced, one event of no case. `rounds` events per case.
 */
export async function writeHistory(store: PostgresEventStore, options: { readonly cases?: number; readonly rounds?: number } = {}): Promise<History> {
  const cases = Array.from({ length: options.cases ?? 4 }, () => randomUUID()).sort();
  const roster = `roster-${randomUUID()}`;
  const traced = (event: NewEvent): NewEvent => ({ ...event, metadata: { ...event.metadata, trace: { traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01` } } });
  for (let round = 0; round < (options.rounds ?? 3); round += 1) {
    for (const [index, caseId] of cases.entries()) {
      await store.appendToStream(`account-${caseId}`, [traced(newEvent('PaymentPosted', { amount: { minor: 1000 * (round + 1) + index, currency: 'USD' }, round }, caseId))], { expectedVersion: 'any' });
      if (round === 1) {
        const other = cases[(index + 1) % cases.length] as string;
        await store.appendToStream(roster, [newEvent('CaseReassigned', { caseId: other, collectorId: `collector-${index}` }, caseId)], { expectedVersion: 'any' });
      }
      await store.appendToStream(`promise-${caseId}`, [newEvent('PromiseRecorded', { round, due: '2026-12-01' }, caseId)], { expectedVersion: 'any' });
    }
  }
  const { caseId: _none, ...metadata } = newEvent().metadata;
  await store.appendToStream(`preferences-${randomUUID()}`, [{ ...newEvent('ContactPreferenceSet', { channel: 'sms' }), metadata }], { expectedVersion: 'any' });
  return { cases, roster };
}

/**
 * What an attacker with the owner's rights does: switch the ledger's triggers off, change rows, switch them on
 * again — all in one transaction, so that no one sees the triggers off.
 */
export async function asAttacker(harness: Pick<LedgerHarness, 'ledgerSchema' | 'table'>, change: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await harness.ledgerSchema.pool.connect();
  const tables = (['entries', 'case_entries', 'checkpoints'] as const).map(harness.table);
  try {
    await client.query('begin');
    for (const table of tables) await client.query(`alter table ${table} disable trigger user`);
    await change(client);
    for (const table of tables) await client.query(`alter table ${table} enable trigger user`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Rewrites every event hash from the stored text and both chains from them, in seq order — what an attacker who
 * knows the formulas does after changing rows, so that only the store and the signed checkpoints can tell.
 */
export async function rechain(client: PoolClient | Pool, table: LedgerHarness['table']): Promise<void> {
  const entries = await client.query<{ seq: string; envelope: string }>(`select seq, envelope from ${table('entries')} order by seq`);
  let previous: Buffer = GENESIS;
  const hashes = new Map<number, Buffer>();
  for (const row of entries.rows) {
    const seq = Number(row.seq);
    const hash = eventHash(row.envelope);
    previous = globalLink(previous, seq, hash);
    hashes.set(seq, hash);
    await client.query(`update ${table('entries')} set event_hash = $2, global_hash = $3 where seq = $1`, [seq, hash, previous]);
  }
  const links = await client.query<{ case_id: string; case_seq: string; seq: string }>(`select case_id::text, case_seq, seq from ${table('case_entries')} order by case_id, case_seq`);
  let caseId: string | undefined;
  let previousCase: Buffer = GENESIS;
  for (const row of links.rows) {
    if (row.case_id !== caseId) {
      caseId = row.case_id;
      previousCase = GENESIS;
    }
    previousCase = caseLink(previousCase, uuidBytes(row.case_id), Number(row.case_seq), Number(row.seq), hashes.get(Number(row.seq)) ?? GENESIS);
    await client.query(`update ${table('case_entries')} set case_hash = $3 where case_id = $1 and case_seq = $2`, [row.case_id, row.case_seq, previousCase]);
  }
}

/** Moves entries after `from` one seq up (or down, `by` -1), case entries with them: room for an insertion, or a gap closed. */
export async function renumber(client: PoolClient, table: LedgerHarness['table'], from: number, by: 1 | -1): Promise<void> {
  // Through negative numbers, so that the primary key never sees two rows at one seq; the constraints in the way are
  // dropped, as the attacker would.
  await client.query(`alter table ${table('case_entries')} drop constraint if exists case_entries_seq_fkey`);
  await client.query(`alter table ${table('entries')} drop constraint if exists entries_seq_check`);
  await client.query(`update ${table('entries')} set seq = -(seq + $2) where seq >= $1`, [from, by]);
  await client.query(`update ${table('entries')} set seq = -seq where seq < 0`);
  await client.query(`update ${table('case_entries')} set seq = seq + $2 where seq >= $1`, [from, by]);
}
