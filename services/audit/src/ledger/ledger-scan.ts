import { eventHashHex, GENESIS_HEX, globalLinkHex } from './chain';
import { OrderCheck } from './order-check';
import type { LedgerProblem } from './problems';

/** One ledger entry as verification reads it (`AuditLedger.readEntryRows`). */
export interface LedgerRow {
  readonly seq: number;
  readonly eventId: string;
  readonly globalPosition: string;
  /** The stored canonical JSON. */
  readonly text: string;
  /** The stored hashes as lower-case hex; anything but 64 hex digits is a stored hash that is not 32 bytes. */
  readonly eventHash: string;
  readonly globalHash: string;
  /** The derived columns joined as `columnsKey` joins them (built by PostgreSQL). */
  readonly columns: string;
  /** How many case ids the entry names. */
  readonly caseCount: number;
}

/** A 32-byte hash as hex. */
const HEX_HASH_LENGTH = 64;

/** What a checkpoint says about the global chain. */
export interface GlobalHeadClaim {
  readonly number: number;
  readonly seq: number;
  readonly globalHead: string;
}

/**
 * The checks of the ledger's entries taken one at a time, in sequence order: the sequence has no gaps, each text
 * hashes to its event hash, each global hash is the link of its predecessor, each checkpoint's global head is the
 * recomputed chain's at its seq, and the entries' global positions increase.
 *
 * Order is judged with one entry of lookahead (`OrderCheck`), so `push` hands back every row but the last one it
 * was given, held until the next row or `end` decides it.
 *
 * The chain is checked locally: each stored hash against the link of the stored hash before it, so that a changed
 * row is named without blaming every row after it; and, apart, the chain recomputed from the genesis from the texts
 * alone, which is what the checkpoints are compared with.
 */
export class LedgerScanner {
  private expectedSeq = 1;
  private lastSeq = 0;
  private previousStored: string = GENESIS_HEX;
  private previousRecomputed: string = GENESIS_HEX;
  private inSync = true;
  private previousLinkBroken = false;
  private readonly order: OrderCheck<LedgerRow>;
  private readonly claimsAt = new Map<number, GlobalHeadClaim[]>();
  private readonly claimsSeen = new Set<GlobalHeadClaim>();
  private count = 0;
  private caseLinks = 0;

  constructor(
    private readonly report: (problem: LedgerProblem) => void,
    private readonly claims: readonly GlobalHeadClaim[] = [],
  ) {
    for (const claim of claims) this.claimsAt.set(claim.seq, [...(this.claimsAt.get(claim.seq) ?? []), claim]);
    this.order = new OrderCheck(report);
  }

  /** Entries checked so far. */
  get entries(): number {
    return this.count;
  }

  /** The sum of the entries' case counts: how many case entries the ledger must hold. */
  get expectedCaseLinks(): number {
    return this.caseLinks;
  }

  /** The highest seq seen. */
  get lastSeqSeen(): number {
    return this.lastSeq;
  }

  /** Whether verification must not take this entry's position as the ledger's order (it is reported as reordered). */
  isOutOfOrder(row: LedgerRow): boolean {
    return this.order.isOutOfOrder(row);
  }

  push(rows: readonly LedgerRow[]): LedgerRow[] {
    const decided: LedgerRow[] = [];
    for (const row of rows) {
      this.check(row);
      const previous = this.order.push(row);
      if (previous !== undefined) decided.push(previous);
    }
    return decided;
  }

  end(): LedgerRow[] {
    const last = this.order.end();
    const decided = last === undefined ? [] : [last];
    for (const claim of this.claims) {
      if (this.claimsSeen.has(claim)) continue;
      if (claim.seq > this.lastSeq) {
        this.report({
          kind: 'deleted',
          check: 'checkpoint-heads',
          seq: this.lastSeq + 1,
          eventId: null,
          detail: `checkpoint ${claim.number} covers entries up to seq ${claim.seq}, but the ledger ends at seq ${this.lastSeq}: entries ${this.lastSeq + 1}..${claim.seq} were removed`,
        });
      } else {
        this.report({ kind: 'checkpoint', check: 'checkpoint-heads', seq: claim.seq, eventId: null, detail: `checkpoint ${claim.number} covers seq ${claim.seq}, which is not in the ledger` });
      }
    }
    return decided;
  }

  private check(row: LedgerRow): void {
    this.count += 1;
    this.caseLinks += row.caseCount;
    const { seq } = row;
    if (seq > this.expectedSeq) {
      const range = seq - 1 === this.expectedSeq ? `entry ${this.expectedSeq} is` : `entries ${this.expectedSeq}..${seq - 1} are`;
      this.report({ kind: 'deleted', check: 'sequence', seq: this.expectedSeq, eventId: null, detail: `${range} missing: the sequence goes from ${this.expectedSeq - 1} to ${seq}` });
    } else if (seq < this.expectedSeq) {
      this.report({ kind: 'inserted', check: 'sequence', seq, eventId: row.eventId, detail: `seq ${seq} comes again after seq ${this.lastSeq}: an entry was added with a number already used` });
    }
    this.expectedSeq = Math.max(this.expectedSeq, seq + 1);
    this.lastSeq = Math.max(this.lastSeq, seq);

    const recomputedEvent = eventHashHex(row.text);
    const storedEventOk = row.eventHash.length === HEX_HASH_LENGTH;
    if (!storedEventOk || recomputedEvent !== row.eventHash) {
      this.report({ kind: 'modified', check: 'event-hash', seq, eventId: row.eventId, detail: 'its canonical JSON does not hash to its event_hash: the text or the hash was changed' });
    }

    // The local link: the stored hash against the stored hash before it (or, after a broken link, against the
    // recomputed one, so that one changed hash is named once and not again at the row after it).
    const storedEvent = storedEventOk ? row.eventHash : recomputedEvent;
    const local = globalLinkHex(this.previousStored, seq, storedEvent);
    let linked = local === row.globalHash;
    if (!linked && this.previousLinkBroken) linked = globalLinkHex(this.previousRecomputed, seq, storedEvent) === row.globalHash;
    if (!linked) {
      this.report({ kind: 'chain-broken', check: 'global-chain', seq, eventId: row.eventId, detail: 'its global_hash is not SHA-256(previous global_hash ‖ seq ‖ event_hash)' });
    }
    this.previousLinkBroken = !linked;

    // While the stored chain is the recomputed one, the local link is the recomputed link: no second hash.
    const same = this.inSync && recomputedEvent === storedEvent;
    const recomputed = same ? local : globalLinkHex(this.previousRecomputed, seq, recomputedEvent);
    this.inSync = same ? linked : recomputed === row.globalHash;
    this.previousRecomputed = recomputed;
    this.previousStored = row.globalHash.length === HEX_HASH_LENGTH ? row.globalHash : recomputed;

    const claims = this.claimsAt.get(seq);
    if (claims !== undefined) {
      const head = recomputed;
      for (const claim of claims) {
        this.claimsSeen.add(claim);
        if (claim.globalHead !== head) {
          this.report({
            kind: 'checkpoint',
            check: 'checkpoint-heads',
            seq,
            eventId: null,
            detail: `checkpoint ${claim.number} signed global head ${claim.globalHead.slice(0, 16)}… at seq ${seq}, but the chain recomputed from the entries is ${head.slice(0, 16)}…`,
          });
        }
      }
    }
  }
}
