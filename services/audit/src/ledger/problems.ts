/**
 * What verification found wrong, named by the tampering that explains it:
 * - `inserted`: an entry the event store does not have (or the same event twice);
 * - `deleted`: an entry missing — a gap in the sequence, an event of the store absent from the ledger, a checkpoint
 *   beyond the ledger's end;
 * - `modified`: an entry whose text no longer hashes to its event hash, differs from the store's copy of the event,
 *   or whose columns disagree with its text;
 * - `reordered`: an entry out of the store's global order;
 * - `chain-broken`: a stored global or case hash that is not the link of its predecessor, seq and event hash —
 *   the consequence of any of the above when the chains were not rewritten to match;
 * - `checkpoint`: a checkpoint that is not validly signed or whose heads are not the recomputed chain's.
 * At one sequence number, what the entries show comes before what the case chains show (a case chain breaks where
 * an entry was changed), and then the kinds in that order: the explanation before the broken link.
 */
export const PROBLEM_KINDS = ['inserted', 'deleted', 'modified', 'reordered', 'chain-broken', 'checkpoint'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** Which check saw it. */
export type ProblemCheck =
  | 'sequence'
  | 'event-hash'
  | 'global-chain'
  | 'case-chain'
  | 'columns'
  | 'order'
  | 'store'
  | 'case-links'
  | 'checkpoint-signature'
  | 'checkpoint-heads';

export interface LedgerProblem {
  readonly kind: ProblemKind;
  readonly check: ProblemCheck;
  /** The ledger sequence number of the first bad position (for a missing event: where it belongs); null if none. */
  readonly seq: number | null;
  readonly eventId: string | null;
  /** For a case chain's problem. */
  readonly caseId?: string;
  readonly detail: string;
}

const PRIORITY = new Map<ProblemKind, number>(PROBLEM_KINDS.map((kind, index) => [kind, index]));

const CASE_CHECKS: ReadonlySet<ProblemCheck> = new Set(['case-chain', 'case-links']);

/**
 * Position order: by seq (none last), then the entries' checks before the case chains', then kind, then a problem
 * that names its event before one that cannot.
 */
export function compareProblems(a: LedgerProblem, b: LedgerProblem): number {
  const seqA = a.seq ?? Number.POSITIVE_INFINITY;
  const seqB = b.seq ?? Number.POSITIVE_INFINITY;
  if (seqA !== seqB) return seqA < seqB ? -1 : 1;
  const level = (CASE_CHECKS.has(a.check) ? 1 : 0) - (CASE_CHECKS.has(b.check) ? 1 : 0);
  if (level !== 0) return level;
  const kind = (PRIORITY.get(a.kind) ?? 0) - (PRIORITY.get(b.kind) ?? 0);
  if (kind !== 0) return kind;
  return (a.eventId === null ? 1 : 0) - (b.eventId === null ? 1 : 0);
}

/**
 * Keeps the first `limit` problems in position order, however many are found and in whatever order the checks find
 * them (they run side by side), and counts the rest.
 */
export class ProblemLog {
  private readonly kept: LedgerProblem[] = [];
  private total = 0;

  constructor(private readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`maxProblems must be a positive integer, not ${limit}`);
  }

  add(problem: LedgerProblem): void {
    this.total += 1;
    const kept = this.kept;
    if (kept.length === this.limit && compareProblems(problem, kept[kept.length - 1] as LedgerProblem) >= 0) return;
    let index = kept.length;
    while (index > 0 && compareProblems(problem, kept[index - 1] as LedgerProblem) < 0) index -= 1;
    kept.splice(index, 0, problem);
    if (kept.length > this.limit) kept.pop();
  }

  get count(): number {
    return this.total;
  }

  get problems(): readonly LedgerProblem[] {
    return this.kept;
  }

  get first(): LedgerProblem | null {
    return this.kept[0] ?? null;
  }
}
