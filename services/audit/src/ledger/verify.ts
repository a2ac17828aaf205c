import type { KeyObject } from 'node:crypto';
import type { EventEnvelope, GlobalPosition } from '@arrears/contracts';
import type { EventStore, PostgresEventStore } from '@arrears/event-store';
import type { AuditLedger, StoredCheckpoint } from './audit-ledger';
import { CaseChainScanner, type CaseHeadsClaim } from './case-scan';
import { checkCheckpointSignature, parseCheckpointText } from './checkpoint';
import { columnsKey, differingColumns, ledgerCasesOf } from './ledger-event';
import { LedgerScanner, type GlobalHeadClaim, type LedgerRow } from './ledger-scan';
import { prefetching } from './paging';
import { ProblemLog, type LedgerProblem } from './problems';
import { compareWithStore, type PagedSource } from './store-comparison';
import { EnvelopeEvent, StoredTextEvent, type StoreEvent } from './store-events';

export interface VerifyProgress {
  readonly entries: number;
  readonly caseEntries: number;
  readonly storeEvents: number;
}

export interface VerifyLedgerOptions {
  readonly ledger: AuditLedger;
  /**
   * The event store the ledger records: its global log is read whole (`readAll`) and compared. Without it only the
   * ledger's own evidence is checked — hashes, chains, checkpoints — which is what an auditor holding the ledger and
   * the public keys but not the store can check; the report says `storeCompared: false`.
   */
  readonly store?: EventStore;
  /** The Ed25519 public keys checkpoints may be signed with (`verificationKeysFromEnv()`). */
  readonly publicKeys: readonly KeyObject[];
  /** How many problems the report lists (the first ones by seq); all are counted. Default 100. */
  readonly maxProblems?: number;
  /** Rows per read, from the ledger and from the store. Default 5,000. */
  readonly pageSize?: number;
  /** Count store events after the ledger's last entry as missing rather than as the ledger catching up. */
  readonly requireComplete?: boolean;
  /** Called after each page with the counts so far. */
  readonly onProgress?: (progress: VerifyProgress) => void;
}

export interface LedgerReport {
  readonly ok: boolean;
  /** The ledger's last seq when verification started; entries appended since are not checked. */
  readonly headSeq: number;
  readonly entriesChecked: number;
  readonly caseEntriesChecked: number;
  readonly cases: number;
  /** Whether the ledger was compared with the event store (a store was given). */
  readonly storeCompared: boolean;
  readonly storeEventsChecked: number;
  /** Store events after the ledger's last entry: the ledger's consumer has not recorded them yet. */
  readonly behind: number;
  readonly checkpointsChecked: number;
  readonly firstProblem: LedgerProblem | null;
  /** The first `maxProblems` problems by seq. */
  readonly problems: readonly LedgerProblem[];
  readonly problemCount: number;
}

/**
 * Verifies the whole ledger, trusting nothing in it but what the checkpoints' signatures prove: recomputes every
 * event hash from the stored text and both chains from the hashes, checks every checkpoint's signature and its heads
 * against the recomputed chains, and compares the ledger with the event store's global log (every event in both, the
 * same text, the same order) when a store is given. Each problem is named by the tampering that explains it and the first bad seq
 * (problems.ts). Three reads run side by side — the entries by seq, the case entries by case, the store's log — in
 * pages fetched one ahead, with all hashing in this process: no round trip per row.
 */
export async function verifyLedger(options: VerifyLedgerOptions): Promise<LedgerReport> {
  const { ledger, store } = options;
  const pageSize = options.pageSize ?? 5_000;
  const log = new ProblemLog(options.maxProblems ?? 100);
  const report = (problem: LedgerProblem) => log.add(problem);
  // Checkpoints first: a checkpoint read now never covers more than the head read after it, unless entries were removed.
  const stored = await ledger.storedCheckpoints();
  const headSeq = (await ledger.head()).seq;
  const claims = checkCheckpoints(stored, options.publicKeys, report);

  const scanner = new LedgerScanner(report, claims.global);
  const cases = new CaseChainScanner(report, claims.cases);
  const progress = { entries: 0, caseEntries: 0, storeEvents: 0 };
  const tell = () => options.onProgress?.({ ...progress });
  const stop = { stopped: false };

  const ledgerPages = prefetching(
    (after: number) => ledger.readEntryRows(after, headSeq, pageSize),
    (row) => row.seq,
    0,
    pageSize,
    stop,
  );
  let ledgerEnded = false;
  const ledgerSource: PagedSource<LedgerRow> = {
    async next() {
      if (ledgerEnded) return undefined;
      const rows = await ledgerPages.next();
      if (rows === undefined) {
        ledgerEnded = true;
        return scanner.end();
      }
      progress.entries += rows.length;
      tell();
      return scanner.push(rows);
    },
  };
  const storePages = store === undefined ? undefined : storeLog(store, pageSize, stop);
  const storeSource = (pages: PagedSource<StoreEvent>): PagedSource<StoreEvent> => ({
    async next() {
      const events = await pages.next();
      if (events !== undefined) {
        progress.storeEvents += events.length;
        tell();
      }
      return events;
    },
  });
  /** Without a store, the entries' columns are checked against their own texts instead of the store's events. */
  const drain = async () => {
    for (let rows = await ledgerSource.next(); rows !== undefined; rows = await ledgerSource.next()) {
      for (const row of rows) checkColumnsAgainstText(row, report);
    }
    return { storeEvents: 0, matched: 0, behind: 0 };
  };
  const casePass = async () => {
    // Whole chains, a few cases a page: about `pageSize` case entries if cases average a few entries each.
    const casesPerPage = Math.max(1, Math.floor(pageSize / 8));
    const pages = prefetching(
      (after: string | undefined) => ledger.readCaseChains(after, headSeq, casesPerPage),
      (chain) => chain.caseId,
      undefined,
      casesPerPage,
      stop,
    );
    for (let chains = await pages.next(); chains !== undefined; chains = await pages.next()) {
      for (const chain of chains) cases.pushRecords(chain.caseId, chain.records);
      progress.caseEntries = cases.caseEntries;
      tell();
    }
    cases.end();
  };

  let comparison: Awaited<ReturnType<typeof compareWithStore>>;
  try {
    [comparison] = await Promise.all([
      storePages === undefined
        ? drain()
        : compareWithStore(ledgerSource, storeSource(storePages), report, { isOutOfOrder: (row) => scanner.isOutOfOrder(row), requireComplete: options.requireComplete ?? false }),
      casePass(),
    ]);
  } finally {
    stop.stopped = true;
  }

  if (scanner.expectedCaseLinks !== cases.caseEntries) {
    const entry = await ledger.firstMislinkedEntry(headSeq);
    if (entry !== undefined) {
      const named = entry.caseIds === '' ? [] : entry.caseIds.split(',');
      const linked = entry.linked === '' ? [] : entry.linked.split(',');
      const unlinked = named.filter((id) => !linked.includes(id));
      report({
        kind: unlinked.length > 0 ? 'deleted' : 'inserted',
        check: 'case-links',
        seq: entry.seq,
        eventId: entry.eventId,
        detail:
          unlinked.length > 0
            ? `its event belongs to case ${unlinked.join(', ')}, whose chain has no entry for it`
            : `the chain of case ${linked.filter((id) => !named.includes(id)).join(', ') || '(same case twice)'} has an entry for it, but its event does not belong to that case`,
      });
    }
  }

  // The case chains are read without event ids: name the events of the problems reported.
  const unnamed = log.problems.filter((problem) => problem.eventId === null && problem.seq !== null && problem.check.startsWith('case-'));
  const eventIds = await ledger.eventIdsAt(unnamed.map((problem) => problem.seq as number));
  const problems = log.problems.map((problem) => (unnamed.includes(problem) ? { ...problem, eventId: eventIds.get(problem.seq as number) ?? null } : problem));

  return {
    ok: log.count === 0,
    headSeq,
    entriesChecked: scanner.entries,
    caseEntriesChecked: cases.caseEntries,
    cases: cases.cases,
    storeCompared: store !== undefined,
    storeEventsChecked: comparison.storeEvents,
    behind: comparison.behind,
    checkpointsChecked: stored.length,
    firstProblem: problems[0] ?? null,
    problems,
    problemCount: log.count,
  };
}

/**
 * The store's global log in pages fetched one ahead. A store that can give its rows as text
 * (`PostgresEventStore.readAllText`) is read that way — its events are written as the ledger's text without being
 * parsed (store-events.ts); any other through the port's `readAll`.
 */
function storeLog(store: EventStore, pageSize: number, stop: { readonly stopped: boolean }): PagedSource<StoreEvent> {
  const after = (position: string | undefined) => (position === undefined ? {} : { after: position as GlobalPosition });
  const cursor = (event: StoreEvent) => event.globalPosition;
  return readsText(store)
    ? prefetching(async (position: string | undefined) => (await store.readAllText({ ...after(position), maxCount: pageSize })).map((row) => new StoredTextEvent(row)), cursor, undefined, pageSize, stop)
    : prefetching(async (position: string | undefined) => (await store.readAll({ ...after(position), maxCount: pageSize })).map((event) => new EnvelopeEvent(event)), cursor, undefined, pageSize, stop);
}

function readsText(store: EventStore): store is EventStore & Pick<PostgresEventStore, 'readAllText'> {
  return typeof (store as Partial<Pick<PostgresEventStore, 'readAllText'>>).readAllText === 'function';
}

function checkColumnsAgainstText(row: LedgerRow, report: (problem: LedgerProblem) => void): void {
  let expected: string;
  try {
    const event = JSON.parse(row.text) as EventEnvelope;
    expected = columnsKey(event, ledgerCasesOf(event));
  } catch {
    report({ kind: 'modified', check: 'columns', seq: row.seq, eventId: row.eventId, detail: 'its text is not an event envelope' });
    return;
  }
  if (expected !== row.columns) {
    report({ kind: 'modified', check: 'columns', seq: row.seq, eventId: row.eventId, detail: `its columns ${differingColumns(expected, row.columns).join(', ')} disagree with its event` });
  }
}

/**
 * Reads every checkpoint's signed text and checks its signature; what each signed text claims is then compared with
 * the recomputed chains by the scanners. The text is the checkpoint, not its columns: a column that disagrees with
 * the text is reported. A checkpoint that cannot be read claims nothing.
 */
function checkCheckpoints(stored: readonly StoredCheckpoint[], publicKeys: readonly KeyObject[], report: (problem: LedgerProblem) => void) {
  const global: GlobalHeadClaim[] = [];
  const cases: CaseHeadsClaim[] = [];
  let expectedNumber = 1;
  for (const checkpoint of stored) {
    const where = { kind: 'checkpoint' as const, seq: checkpoint.seq, eventId: null };
    if (checkpoint.number !== expectedNumber) {
      report({
        ...where,
        check: 'checkpoint-heads',
        detail:
          checkpoint.number > expectedNumber
            ? `checkpoint ${expectedNumber}${checkpoint.number - 1 > expectedNumber ? `..${checkpoint.number - 1}` : ''} is missing: the checkpoints go from ${expectedNumber - 1} to ${checkpoint.number}`
            : `checkpoint ${checkpoint.number} comes again`,
      });
    }
    expectedNumber = Math.max(expectedNumber, checkpoint.number + 1);
    const parsed = parseCheckpointText(checkpoint.text);
    if ('problem' in parsed) {
      report({ ...where, check: 'checkpoint-signature', detail: `checkpoint ${checkpoint.number} cannot be read: ${parsed.problem}` });
      continue;
    }
    const { payload } = parsed;
    const signature = checkCheckpointSignature({ text: checkpoint.text, signature: checkpoint.signature, keyId: payload.keyId }, publicKeys);
    if (!signature.ok) report({ ...where, seq: payload.seq, check: 'checkpoint-signature', detail: `checkpoint ${checkpoint.number}: ${signature.detail}` });
    const columns: [string, unknown, unknown][] = [
      ['number', checkpoint.number, payload.number],
      ['seq', checkpoint.seq, payload.seq],
      ['global_head', checkpoint.globalHead, payload.globalHead],
      ['case_heads', checkpoint.caseHeads, payload.caseHeads],
      ['cases', checkpoint.cases, payload.cases],
      ['at', Date.parse(checkpoint.at), Date.parse(payload.at)],
      ['key_id', checkpoint.keyId, payload.keyId],
    ];
    const differing = columns.filter(([, column, signed]) => column !== signed).map(([name]) => name);
    if (differing.length > 0) {
      report({ ...where, seq: payload.seq, check: 'checkpoint-heads', detail: `checkpoint ${checkpoint.number}: its columns ${differing.join(', ')} disagree with its signed text` });
    }
    global.push({ number: payload.number, seq: payload.seq, globalHead: payload.globalHead });
    const previous = cases[cases.length - 1];
    if (previous !== undefined && payload.seq <= previous.seq) {
      report({ ...where, seq: payload.seq, check: 'checkpoint-heads', detail: `checkpoint ${checkpoint.number} covers seq ${payload.seq}, not more than checkpoint ${previous.number} (seq ${previous.seq})` });
      continue;
    }
    cases.push({ number: payload.number, seq: payload.seq, caseHeads: payload.caseHeads, cases: payload.cases });
  }
  return { global, cases };
}
