import { caseHeadsLink, CaseHeadLines, caseLinkHex, GENESIS, GENESIS_HEX, uuidBytes } from './chain';
import type { LedgerProblem } from './problems';

/**
 * A case entry as `AuditLedger.readCaseChains` packs it: case seq and seq (8 bytes each, unsigned big-endian), the
 * case hash and the entry's event hash (32 bytes each; zeros when malformed or missing), and a flags byte.
 */
export const CASE_RECORD_BYTES = 81;
export const RECORD_HAS_ENTRY = 1;
export const RECORD_MEMBER = 2;
export const RECORD_CASE_HASH_OK = 4;
export const RECORD_EVENT_HASH_OK = 8;
/** A stored hash that was not 32 bytes: it matches nothing. */
const MALFORMED = Buffer.alloc(0);
const MALFORMED_HEX = '';

function readUint64(buffer: Buffer, offset: number): number {
  return buffer.readUInt32BE(offset) * 0x1_0000_0000 + buffer.readUInt32BE(offset + 4);
}

/** One case entry as verification reads it, in (case id, case seq) order, with what its ledger entry says. */
export interface CaseRow {
  readonly caseId: string;
  readonly caseSeq: number;
  readonly seq: number;
  readonly caseHash: Buffer;
  /** The ledger entry's event id and stored event hash; null when no entry has that seq. */
  readonly eventId: string | null;
  readonly eventHash: Buffer | null;
  /** Whether the entry's case_ids name this case; null when there is no entry. */
  readonly member: boolean | null;
}

/** What a checkpoint says about the case chains. */
export interface CaseHeadsClaim {
  readonly number: number;
  readonly seq: number;
  readonly caseHeads: string;
  readonly cases: number;
}

/**
 * The checks of every case chain, taken one case entry at a time in (case id, case seq) order: each case's entries
 * are numbered 1, 2, 3… at increasing ledger seqs, each refers to an entry that names the case, and each case hash is
 * the link of its predecessor. Meanwhile it rebuilds, from the recomputed chains, what each checkpoint's case heads
 * must be — for checkpoint k, the head at seq(k) of every case that grew since checkpoint k-1, in case id order,
 * which is the order the rows come in — and compares them in `end`.
 */
export class CaseChainScanner {
  private caseId: string | undefined;
  private caseBytes: Buffer = Buffer.alloc(16);
  private expectedCaseSeq = 1;
  private lastSeq = 0;
  private previousStored: string = GENESIS_HEX;
  private previousRecomputed: string = GENESIS_HEX;
  private inSync = true;
  private previousLinkBroken = false;
  private pendingInterval = -1;
  private pendingHead: string = GENESIS_HEX;
  /** Whether the current case was counted in a checkpoint's new cases. */
  private counted = false;
  private readonly seqs: number[];
  private readonly lines: CaseHeadLines[];
  private readonly newCases: number[];
  private rows = 0;
  private caseCount = 0;

  /** `claims` in checkpoint order, their seqs increasing. */
  constructor(
    private readonly report: (problem: LedgerProblem) => void,
    private readonly claims: readonly CaseHeadsClaim[] = [],
  ) {
    this.seqs = claims.map((claim) => claim.seq);
    for (let index = 1; index < this.seqs.length; index += 1) {
      if ((this.seqs[index] as number) <= (this.seqs[index - 1] as number)) throw new RangeError('Checkpoint seqs must increase');
    }
    this.lines = claims.map(() => new CaseHeadLines());
    this.newCases = claims.map(() => 0);
  }

  get caseEntries(): number {
    return this.rows;
  }

  get cases(): number {
    return this.caseCount;
  }

  push(rows: readonly CaseRow[]): void {
    for (const row of rows) this.check(row.caseId, row.caseSeq, row.seq, row.caseHash.length === 32 ? row.caseHash.toString('hex') : MALFORMED_HEX, row.eventHash, row.eventId, row.member);
  }

  /**
   * One case's chain, or the next part of it, as `CASE_RECORD_BYTES`-byte records (`AuditLedger.readCaseChains`):
   * read in place, without an object per entry. Their problems name no event id (`eventId: null`); verification
   * looks the ids up for the problems it reports.
   */
  pushRecords(caseId: string, records: Buffer): void {
    for (let offset = 0; offset + CASE_RECORD_BYTES <= records.length; offset += CASE_RECORD_BYTES) {
      const flags = records[offset + 80] as number;
      const hasEntry = (flags & RECORD_HAS_ENTRY) !== 0;
      this.check(
        caseId,
        readUint64(records, offset),
        readUint64(records, offset + 8),
        (flags & RECORD_CASE_HASH_OK) !== 0 ? records.toString('hex', offset + 16, offset + 48) : MALFORMED_HEX,
        !hasEntry ? null : (flags & RECORD_EVENT_HASH_OK) !== 0 ? records.subarray(offset + 48, offset + 80) : MALFORMED,
        null,
        hasEntry ? (flags & RECORD_MEMBER) !== 0 : null,
      );
    }
    if (records.length % CASE_RECORD_BYTES !== 0) throw new RangeError(`Case records come in ${CASE_RECORD_BYTES} bytes, not ${records.length}`);
  }

  end(): void {
    this.finishCase();
    let digest: Buffer = GENESIS;
    let cases = 0;
    this.claims.forEach((claim, index) => {
      digest = caseHeadsLink(digest, (this.lines[index] as CaseHeadLines).digest());
      cases += this.newCases[index] as number;
      const head = digest.toString('hex');
      if (head !== claim.caseHeads || cases !== claim.cases) {
        this.report({
          kind: 'checkpoint',
          check: 'checkpoint-heads',
          seq: claim.seq,
          eventId: null,
          detail:
            head !== claim.caseHeads
              ? `checkpoint ${claim.number} signed case heads ${claim.caseHeads.slice(0, 16)}…, but the case chains recomputed at seq ${claim.seq} give ${head.slice(0, 16)}…`
              : `checkpoint ${claim.number} counts ${claim.cases} cases, but ${cases} had a chain at seq ${claim.seq}`,
        });
      }
    });
  }

  /** `caseHash` as hex (`MALFORMED_HEX` when not 32 bytes); `eventHash` as bytes. */
  private check(caseId: string, caseSeq: number, seq: number, caseHash: string, eventHash: Buffer | null, eventId: string | null, member: boolean | null): void {
    this.rows += 1;
    if (caseId !== this.caseId) this.startCase(caseId);
    const where = { seq, eventId, caseId };
    if (caseSeq > this.expectedCaseSeq) {
      this.report({
        kind: 'deleted',
        check: 'case-chain',
        ...where,
        detail: `case ${caseId}: its chain goes from entry ${this.expectedCaseSeq - 1} to entry ${caseSeq} (at seq ${seq}); ${caseSeq - this.expectedCaseSeq} missing`,
      });
    } else if (caseSeq < this.expectedCaseSeq) {
      this.report({ kind: 'inserted', check: 'case-chain', ...where, detail: `case ${caseId}: entry ${caseSeq} of its chain comes again (at seq ${seq})` });
    }
    this.expectedCaseSeq = Math.max(this.expectedCaseSeq, caseSeq + 1);
    if (seq <= this.lastSeq) {
      this.report({ kind: 'reordered', check: 'case-chain', ...where, detail: `case ${caseId}: entry ${caseSeq} of its chain is at seq ${seq}, not after seq ${this.lastSeq}` });
    }
    this.lastSeq = Math.max(this.lastSeq, seq);
    if (eventHash === null) {
      this.report({ kind: 'inserted', check: 'case-links', ...where, detail: `case ${caseId}: entry ${caseSeq} of its chain refers to seq ${seq}, which is not in the ledger` });
    } else if (member === false) {
      this.report({ kind: 'inserted', check: 'case-links', ...where, detail: `case ${caseId}: entry ${caseSeq} of its chain refers to seq ${seq}, whose event does not belong to the case` });
    }

    const event = eventHash !== null && eventHash.length === 32 ? eventHash : GENESIS;
    const local = caseLinkHex(this.previousStored, this.caseBytes, caseSeq, seq, event);
    let linked = local === caseHash;
    if (!linked && this.previousLinkBroken) linked = caseLinkHex(this.previousRecomputed, this.caseBytes, caseSeq, seq, event) === caseHash;
    if (!linked) {
      this.report({
        kind: 'chain-broken',
        check: 'case-chain',
        ...where,
        detail: `case ${caseId}: the case_hash of entry ${caseSeq} of its chain is not SHA-256(previous case_hash ‖ case id ‖ case seq ‖ seq ‖ event_hash)`,
      });
    }
    this.previousLinkBroken = !linked;
    const recomputed = this.inSync ? local : caseLinkHex(this.previousRecomputed, this.caseBytes, caseSeq, seq, event);
    this.inSync = this.inSync ? linked : recomputed === caseHash;
    this.previousRecomputed = recomputed;
    this.previousStored = caseHash.length === 64 ? caseHash : recomputed;

    if (this.seqs.length > 0) {
      const interval = this.intervalOf(seq);
      if (interval !== this.pendingInterval) this.flushHead();
      this.pendingInterval = interval;
      this.pendingHead = recomputed;
    }
  }

  private startCase(caseId: string): void {
    this.finishCase();
    this.caseId = caseId;
    this.caseCount += 1;
    try {
      this.caseBytes = uuidBytes(caseId);
    } catch {
      this.caseBytes = Buffer.alloc(16);
      this.report({ kind: 'modified', check: 'case-links', seq: null, eventId: null, caseId, detail: `case id ${JSON.stringify(caseId)} is not a lower-case UUID` });
    }
    this.expectedCaseSeq = 1;
    this.lastSeq = 0;
    this.previousStored = GENESIS_HEX;
    this.previousRecomputed = GENESIS_HEX;
    this.inSync = true;
    this.previousLinkBroken = false;
    this.pendingInterval = -1;
    this.counted = false;
  }

  private finishCase(): void {
    this.flushHead();
    this.pendingInterval = -1;
  }

  /** Hands the case's head in the pending interval to that checkpoint's lines (and counts a case new there). */
  private flushHead(): void {
    const interval = this.pendingInterval;
    if (interval < 0 || interval >= this.lines.length || this.caseId === undefined) return;
    (this.lines[interval] as CaseHeadLines).add(this.caseId, this.pendingHead);
    // The case's first interval is the checkpoint from which it counts.
    if (!this.counted) this.newCases[interval] = (this.newCases[interval] as number) + 1;
    this.counted = true;
  }

  /** The first checkpoint whose seq is at or after `seq`; `claims.length` when none is. */
  private intervalOf(seq: number): number {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.seqs[middle] as number) < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
