import { comparePositions, isGlobalPosition } from './positions';
import type { LedgerProblem } from './problems';

/** What the order check needs of an entry. */
export interface Positioned {
  readonly seq: number;
  readonly eventId: string;
  readonly globalPosition: string;
}

/**
 * Entries must follow the store's global order: their global positions increase with seq. Judged with one entry of
 * lookahead, so `push` gives back the entry before the one it was given (and `end` the last): an entry is out of
 * order when its position is not after the last in-order entry's (it was moved back), or when the next entry fits
 * between the two (it was moved forward). A single entry moved, or two swapped, is named where it sits, and the
 * entries between them are not blamed.
 */
export class OrderCheck<T extends Positioned> {
  private held: T | undefined;
  private lastInOrder: { readonly seq: number; readonly position: string } | undefined;
  private readonly outOfOrder = new Set<number>();

  constructor(private readonly report: (problem: LedgerProblem) => void) {}

  /** Whether this entry was found out of order (and reported): its position must not be used to align. */
  isOutOfOrder(entry: Positioned): boolean {
    return this.outOfOrder.size > 0 && this.outOfOrder.has(entry.seq);
  }

  push(entry: T): T | undefined {
    const decided = this.held === undefined ? undefined : this.decide(this.held, entry);
    this.held = entry;
    return decided;
  }

  end(): T | undefined {
    const decided = this.held === undefined ? undefined : this.decide(this.held, undefined);
    this.held = undefined;
    return decided;
  }

  private decide(entry: T, next: T | undefined): T {
    const position = entry.globalPosition;
    const last = this.lastInOrder;
    let problem: string | undefined;
    if (!isGlobalPosition(position)) {
      problem = `its global position ${JSON.stringify(position)} is not one`;
    } else if (last !== undefined && comparePositions(position, last.position) <= 0) {
      problem = `its global position ${position} is not after ${last.position}, that of seq ${last.seq}: the store has it earlier`;
    } else if (
      next !== undefined &&
      isGlobalPosition(next.globalPosition) &&
      (last === undefined || comparePositions(next.globalPosition, last.position) > 0) &&
      comparePositions(next.globalPosition, position) < 0
    ) {
      problem = `its global position ${position} is after ${next.globalPosition}, that of the next entry (seq ${next.seq}): the store has it later`;
    }
    if (problem === undefined) {
      this.lastInOrder = { seq: entry.seq, position };
    } else {
      this.outOfOrder.add(entry.seq);
      this.report({ kind: 'reordered', check: 'order', seq: entry.seq, eventId: entry.eventId, detail: problem });
    }
    return entry;
  }
}
