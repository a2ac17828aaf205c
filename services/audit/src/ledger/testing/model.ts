import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arrears/contracts';
import { newEvent } from '@arrears/testing';
import { CASE_RECORD_BYTES, RECORD_CASE_HASH_OK, RECORD_EVENT_HASH_OK, RECORD_HAS_ENTRY, RECORD_MEMBER, type CaseHeadsClaim, type CaseRow } from '../case-scan';
import { caseHeadsLink, CaseHeadLines, caseLink, eventHash, GENESIS, globalLink, uuidBytes } from '../chain';
import { columnsKey, ledgerCasesOf, ledgerText } from '../ledger-event';
import type { GlobalHeadClaim, LedgerRow } from '../ledger-scan';

/** Envelopes as a store gives them back: one stream per case unless told, consecutive global positions. */
export function storedEvents(count: number, options: { readonly cases?: readonly string[]; readonly firstCommit?: number } = {}): EventEnvelope[] {
  const cases = options.cases ?? [randomUUID(), randomUUID(), randomUUID()];
  const positions = new Map<string, number>();
  return Array.from({ length: count }, (_, index) => {
    const caseId = cases[index % cases.length] as ReturnType<typeof randomUUID>;
    const streamId = `account-${caseId}`;
    const streamPosition = positions.get(streamId) ?? 0;
    positions.set(streamId, streamPosition + 1);
    const base = newEvent('PaymentPosted', { amount: { minor: 100 + index, currency: 'USD' }, index }, caseId);
    return {
      ...base,
      streamId,
      streamPosition,
      globalPosition: `${(options.firstCommit ?? 1000) + index}:${index + 1}`,
      recordedAt: '2026-11-29T09:30:01.000Z',
    } as EventEnvelope;
  });
}

export interface LedgerModel {
  readonly rows: LedgerRow[];
  /** In (case id, case seq) order, as verification reads them. */
  readonly caseRows: CaseRow[];
}

/**
 * The ledger these events make, built with the pure formulas in the order the append function applies them: what
 * PostgreSQL must produce, and what the scanners' unit tests tamper with.
 */
export function modelLedger(events: readonly EventEnvelope[]): LedgerModel {
  const rows: LedgerRow[] = [];
  const chains = new Map<string, CaseRow[]>();
  let previous: Buffer = GENESIS;
  events.forEach((event, index) => {
    const seq = index + 1;
    const text = ledgerText(event);
    const hash = eventHash(text);
    const global = globalLink(previous, seq, hash);
    previous = global;
    const cases = ledgerCasesOf(event);
    rows.push({ seq, eventId: event.eventId, globalPosition: event.globalPosition, text, eventHash: hash.toString('hex'), globalHash: global.toString('hex'), columns: columnsKey(event, cases), caseCount: cases.length });
    for (const caseId of cases) {
      const chain = chains.get(caseId) ?? [];
      const last = chain[chain.length - 1];
      const caseSeq = chain.length + 1;
      chain.push({ caseId, caseSeq, seq, caseHash: caseLink(last?.caseHash ?? GENESIS, uuidBytes(caseId), caseSeq, seq, hash), eventId: event.eventId, eventHash: hash, member: true });
      chains.set(caseId, chain);
    }
  });
  const caseRows = [...chains.keys()].sort().flatMap((caseId) => chains.get(caseId) as CaseRow[]);
  return { rows, caseRows };
}

/** What checkpoints at these seqs claim, computed the way `AuditLedger.checkpoint` does. */
export function modelCheckpoints(model: LedgerModel, seqs: readonly number[]): { readonly global: GlobalHeadClaim[]; readonly cases: CaseHeadsClaim[] } {
  const global: GlobalHeadClaim[] = [];
  const cases: CaseHeadsClaim[] = [];
  let digest: Buffer = GENESIS;
  let caseCount = 0;
  let since = 0;
  seqs.forEach((seq, index) => {
    const heads = new Map<string, Buffer>();
    for (const row of model.caseRows) {
      if (row.seq > since && row.seq <= seq) heads.set(row.caseId, row.caseHash);
      if (row.seq > since && row.seq <= seq && row.caseSeq === 1) caseCount += 1;
    }
    const lines = new CaseHeadLines();
    for (const caseId of [...heads.keys()].sort()) lines.add(caseId, heads.get(caseId) as Buffer);
    digest = caseHeadsLink(digest, lines.digest());
    const row = model.rows.find((candidate) => candidate.seq === seq) as LedgerRow;
    global.push({ number: index + 1, seq, globalHead: row.globalHash });
    cases.push({ number: index + 1, seq, caseHeads: digest.toString('hex'), cases: caseCount });
    since = seq;
  });
  return { global, cases };
}

/** The case rows packed in `AuditLedger.readCaseChains`' records, as objects (event ids unknown: null). */
export function decodeCaseChains(chains: readonly { readonly caseId: string; readonly records: Buffer }[]): CaseRow[] {
  const rows: CaseRow[] = [];
  for (const { caseId, records } of chains) {
    for (let offset = 0; offset < records.length; offset += CASE_RECORD_BYTES) {
      const flags = records[offset + 80] as number;
      const hasEntry = (flags & RECORD_HAS_ENTRY) !== 0;
      rows.push({
        caseId,
        caseSeq: Number(records.readBigUInt64BE(offset)),
        seq: Number(records.readBigUInt64BE(offset + 8)),
        caseHash: (flags & RECORD_CASE_HASH_OK) !== 0 ? Buffer.from(records.subarray(offset + 16, offset + 48)) : Buffer.alloc(0),
        eventId: null,
        eventHash: !hasEntry ? null : (flags & RECORD_EVENT_HASH_OK) !== 0 ? Buffer.from(records.subarray(offset + 48, offset + 80)) : Buffer.alloc(0),
        member: hasEntry ? (flags & RECORD_MEMBER) !== 0 : null,
      });
    }
  }
  return rows;
}

/** Case rows packed as `AuditLedger.readCaseChains` packs them, one buffer per case. */
export function encodeCaseChains(rows: readonly CaseRow[]): { caseId: string; records: Buffer }[] {
  const chains: { caseId: string; records: Buffer }[] = [];
  for (const row of rows) {
    const record = Buffer.alloc(CASE_RECORD_BYTES);
    record.writeBigUInt64BE(BigInt(row.caseSeq), 0);
    record.writeBigUInt64BE(BigInt(row.seq), 8);
    if (row.caseHash.length === 32) record.set(row.caseHash, 16);
    if (row.eventHash?.length === 32) record.set(row.eventHash, 48);
    record[80] =
      (row.eventHash !== null ? RECORD_HAS_ENTRY : 0) |
      (row.member === true ? RECORD_MEMBER : 0) |
      (row.caseHash.length === 32 ? RECORD_CASE_HASH_OK : 0) |
      (row.eventHash?.length === 32 ? RECORD_EVENT_HASH_OK : 0);
    const last = chains[chains.length - 1];
    if (last !== undefined && last.caseId === row.caseId) last.records = Buffer.concat([last.records, record]);
    else chains.push({ caseId: row.caseId, records: record });
  }
  return chains;
}
