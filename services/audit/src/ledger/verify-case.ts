import { ArrearsError, ErrorCode, IdSchema, type EventEnvelope } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import type { AuditLedger, CaseChainRow } from './audit-ledger';
import { caseLink, eventHash, GENESIS, globalLink, uuidBytes } from './chain';
import { columnsKey, differingColumns, ledgerCasesOf } from './ledger-event';
import type { LedgerRow } from './ledger-scan';
import { OrderCheck } from './order-check';
import { once } from './paging';
import { comparePositions, isGlobalPosition } from './positions';
import { ProblemLog, type LedgerProblem } from './problems';
import { compareWithStore } from './store-comparison';
import { EnvelopeEvent } from './store-events';

export interface VerifyCaseOptions {
  readonly ledger: AuditLedger;
  readonly caseId: string;
  /** When given, the case's events in the store (every stream its entries name, and its own streams) are compared. */
  readonly store?: EventStore;
  readonly maxProblems?: number;
  readonly pageSize?: number;
}

export interface CaseReport {
  readonly ok: boolean;
  readonly caseId: string;
  readonly entriesChecked: number;
  /** The case chain's last entry: its number and hash. */
  readonly head: { readonly caseSeq: number; readonly caseHash: string | null };
  readonly storeEventsChecked: number;
  /** The case's store events after the ledger's last entry. */
  readonly behind: number;
  readonly firstProblem: LedgerProblem | null;
  readonly problems: readonly LedgerProblem[];
  readonly problemCount: number;
}

/**
 * Verifies one case's chain: each entry's text against its event hash, its columns and case membership; each case
 * hash against its predecessor; each entry's global hash against the global hash before it (which ties the case's
 * entries to their places in the global chain — to rewrite one, the global chain after it would have to be rewritten
 * too, and `verifyLedger` compares that with the checkpoints); the entries in global order; and, given the store, the
 * case's history there. It reads the case only, so it cannot check the checkpoints: only the whole ledger can.
 */
export async function verifyCase(options: VerifyCaseOptions): Promise<CaseReport> {
  const { ledger } = options;
  if (!IdSchema.safeParse(options.caseId).success) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A case id is a UUID, not ${JSON.stringify(options.caseId)}`, { field: 'caseId' });
  }
  const caseId = options.caseId.toLowerCase();
  const caseBytes = uuidBytes(caseId);
  const pageSize = options.pageSize ?? 5_000;
  const log = new ProblemLog(options.maxProblems ?? 100);
  const report = (problem: LedgerProblem) => log.add(problem);
  const headSeq = (await ledger.head()).seq;
  const headPosition = headSeq === 0 ? undefined : (await ledger.entries({ afterSeq: headSeq - 1, limit: 1 }))[0]?.globalPosition;

  const order = new OrderCheck<LedgerRow>(report);
  const rows: LedgerRow[] = [];
  const streams = new Set(['account', 'promise', 'plan', 'case', 'legal'].map((category) => `${category}-${caseId}`));
  let expectedCaseSeq = 1;
  let lastSeq = 0;
  let previousCaseHash: Buffer = GENESIS;
  let head: { caseSeq: number; caseHash: string | null } = { caseSeq: 0, caseHash: null };
  let checked = 0;

  const checkRow = (row: CaseChainRow) => {
    checked += 1;
    const where = { seq: row.seq, eventId: row.eventId, caseId };
    if (row.caseSeq !== expectedCaseSeq) {
      report({
        ...where,
        kind: row.caseSeq > expectedCaseSeq ? 'deleted' : 'inserted',
        check: 'case-chain',
        detail: row.caseSeq > expectedCaseSeq ? `its chain goes from entry ${expectedCaseSeq - 1} to entry ${row.caseSeq}` : `entry ${row.caseSeq} of its chain comes again`,
      });
    }
    expectedCaseSeq = Math.max(expectedCaseSeq, row.caseSeq + 1);
    if (row.seq <= lastSeq) report({ ...where, kind: 'reordered', check: 'case-chain', detail: `entry ${row.caseSeq} of its chain is at seq ${row.seq}, not after seq ${lastSeq}` });
    lastSeq = Math.max(lastSeq, row.seq);
    const caseHashOk = caseLink(previousCaseHash, caseBytes, row.caseSeq, row.seq, row.eventHash?.length === 32 ? row.eventHash : GENESIS).equals(row.caseHash);
    if (!caseHashOk) {
      report({ ...where, kind: 'chain-broken', check: 'case-chain', detail: `the case_hash of entry ${row.caseSeq} of its chain is not the link of the one before` });
    }
    previousCaseHash = row.caseHash;
    head = { caseSeq: row.caseSeq, caseHash: row.caseHash.toString('hex') };
    if (row.text === null || row.eventHash === null || row.globalHash === null || row.eventId === null) {
      report({ ...where, kind: 'inserted', check: 'case-links', detail: `entry ${row.caseSeq} of its chain refers to seq ${row.seq}, which is not in the ledger` });
      return;
    }
    if (!eventHash(row.text).equals(row.eventHash)) {
      report({ ...where, kind: 'modified', check: 'event-hash', detail: 'its canonical JSON does not hash to its event_hash: the text or the hash was changed' });
    }
    if (row.previousGlobalHash === null) {
      report({ ...where, kind: 'deleted', check: 'sequence', seq: row.seq - 1, eventId: null, detail: `entry ${row.seq - 1}, before this case's entry at seq ${row.seq}, is missing` });
    } else if (!globalLink(row.previousGlobalHash, row.seq, row.eventHash).equals(row.globalHash)) {
      report({ ...where, kind: 'chain-broken', check: 'global-chain', detail: 'its global_hash is not SHA-256(previous global_hash ‖ seq ‖ event_hash)' });
    }
    let event: EventEnvelope | undefined;
    try {
      event = JSON.parse(row.text) as EventEnvelope;
    } catch {
      report({ ...where, kind: 'modified', check: 'event-hash', detail: 'its text is not JSON' });
    }
    if (event !== undefined) {
      let belongs = false;
      let columns: string | undefined;
      try {
        const eventCases = ledgerCasesOf(event);
        belongs = eventCases.includes(caseId);
        columns = columnsKey(event, eventCases);
        streams.add(event.streamId);
      } catch {
        report({ ...where, kind: 'modified', check: 'columns', detail: 'its text is not an event envelope' });
      }
      if (!belongs || row.member !== true) {
        report({ ...where, kind: 'inserted', check: 'case-links', detail: `its ${belongs ? 'case_ids do' : 'event does'} not name case ${caseId}` });
      }
      if (columns !== undefined && row.columns !== null && columns !== row.columns) {
        report({ ...where, kind: 'modified', check: 'columns', detail: `its columns ${differingColumns(columns, row.columns).join(', ')} disagree with its event` });
      }
    }
    const positioned: LedgerRow = {
      seq: row.seq,
      eventId: row.eventId,
      globalPosition: row.globalPosition ?? '',
      text: row.text,
      eventHash: row.eventHash.toString('hex'),
      globalHash: row.globalHash.toString('hex'),
      columns: row.columns ?? '',
      caseCount: 0,
    };
    const decided = order.push(positioned);
    if (decided !== undefined) rows.push(decided);
  };

  for (let after = 0; ; ) {
    const page = await ledger.readCaseChain(caseId, after, pageSize);
    page.forEach(checkRow);
    const last = page[page.length - 1];
    if (page.length < pageSize || last === undefined) break;
    after = last.caseSeq;
  }
  const last = order.end();
  if (last !== undefined) rows.push(last);

  let storeEventsChecked = 0;
  let behind = 0;
  if (options.store !== undefined) {
    const events = (await readStreams(options.store, streams, pageSize)).filter((event) => ledgerCasesOf(event).includes(caseId));
    events.sort((a, b) => comparePositions(a.globalPosition, b.globalPosition));
    // Events after the ledger's last entry are still to be recorded; those before it must all be in the chain.
    const recorded = headPosition === undefined || !isGlobalPosition(headPosition) ? [] : events.filter((event) => comparePositions(event.globalPosition, headPosition) <= 0);
    behind = events.length - recorded.length;
    const comparison = await compareWithStore(
      once(rows),
      once(recorded.map((event) => new EnvelopeEvent(event))),
      report,
      { isOutOfOrder: (row) => order.isOutOfOrder(row), requireComplete: true },
    );
    storeEventsChecked = comparison.storeEvents;
  }

  return {
    ok: log.count === 0,
    caseId,
    entriesChecked: checked,
    head,
    storeEventsChecked,
    behind,
    firstProblem: log.first,
    problems: log.problems,
    problemCount: log.count,
  };
}

async function readStreams(store: EventStore, streams: Iterable<string>, pageSize: number): Promise<EventEnvelope[]> {
  const all: EventEnvelope[] = [];
  for (const streamId of streams) {
    for (let from = 0; ; ) {
      const page = await store.readStream(streamId, { from, maxCount: pageSize });
      all.push(...page);
      const last = page[page.length - 1];
      if (page.length < pageSize || last === undefined) break;
      from = last.streamPosition + 1;
    }
  }
  return all;
}
