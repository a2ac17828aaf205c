import type { LedgerRow } from './ledger-scan';
import { differingColumns, differingFields } from './ledger-event';
import { comparePositions, isGlobalPosition } from './positions';
import type { LedgerProblem } from './problems';
import type { StoreEvent } from './store-events';

/** Pages of something read in order; `undefined` once there is nothing more. A page is never empty. */
export interface PagedSource<T> {
  next(): Promise<readonly T[] | undefined>;
}

export interface StoreComparisonOptions {
  /** Whether an entry is out of order (`LedgerScanner.isOutOfOrder`): its position is not used to align. */
  readonly isOutOfOrder?: (row: LedgerRow) => boolean;
  /**
   * Store events after the ledger's last entry are the ledger catching up (its consumer lags the relay), not a
   * problem, unless the ledger is meant to be complete: then each is missing.
   */
  readonly requireComplete?: boolean;
  /** How many unmatched entries or events are held while looking for their counterpart before being reported. */
  readonly maxPending?: number;
}

export interface StoreComparison {
  readonly storeEvents: number;
  readonly matched: number;
  /** Store events after the ledger's last entry. */
  readonly behind: number;
}

class Cursor<T> {
  page: readonly T[] = [];
  index = 0;
  done = false;
  constructor(private readonly source: PagedSource<T>) {}

  /**
   * The current item if this page still has one; undefined when it is used up and `current()` must read on. Saves
   * awaiting a promise per item: the walk awaits only at page boundaries.
   */
  get buffered(): T | undefined {
    return this.page[this.index];
  }

  /** The current item, reading the next page when this one is used up; undefined at the end. */
  async current(): Promise<T | undefined> {
    while (this.index >= this.page.length) {
      if (this.done) return undefined;
      const page = await this.source.next();
      if (page === undefined) {
        this.done = true;
        return undefined;
      }
      this.page = page;
      this.index = 0;
    }
    return this.page[this.index];
  }
}

/**
 * Walks the ledger (in seq order) and the store's global log (in its order) side by side, aligning them by global
 * position, and compares each event found in both: the ledger's text must be the store's event as the ledger records
 * it (`ledgerText`), and the entry's columns must say what the event says. An entry found nowhere in the store is
 * `inserted`; an event of the store found nowhere in the ledger is `deleted`, named at the seq it belongs at. An entry
 * the scanner found out of order is looked up by event id instead, so that one moved entry does not misalign
 * everything after it. Memory stays bounded by how far the two disagree, not by their size.
 */
export async function compareWithStore(
  ledger: PagedSource<LedgerRow>,
  store: PagedSource<StoreEvent>,
  report: (problem: LedgerProblem) => void,
  options: StoreComparisonOptions = {},
): Promise<StoreComparison> {
  const isOutOfOrder = options.isOutOfOrder ?? (() => false);
  const maxPending = options.maxPending ?? 100_000;
  const entries = new Cursor(ledger);
  const events = new Cursor(store);
  /** Entries not (yet) found in the store. */
  const unmatchedEntries = new Map<string, LedgerRow>();
  /** Store events not (yet) found in the ledger, with the seq they belong at. */
  const unmatchedEvents = new Map<string, { readonly event: StoreEvent; readonly seq: number }>();
  let lastSeq = 0;
  let storeEvents = 0;
  let matched = 0;
  let behind = 0;

  const compare = (row: LedgerRow, event: StoreEvent): void => {
    matched += 1;
    const text = event.ledgerText();
    if (text !== row.text) {
      report({ kind: 'modified', check: 'store', seq: row.seq, eventId: row.eventId, detail: `differs from the event store's copy of the event${changedFields(row.text, text)}` });
      return;
    }
    const columns = event.columnsKey();
    if (columns !== row.columns) {
      report({ kind: 'modified', check: 'columns', seq: row.seq, eventId: row.eventId, detail: `its columns ${differingColumns(columns, row.columns).join(', ')} disagree with its event` });
    }
  };
  const notInStore = (row: LedgerRow): void => {
    report({ kind: 'inserted', check: 'store', seq: row.seq, eventId: row.eventId, detail: 'its event is not in the event store: it was added to the ledger (or removed from the store)' });
  };
  const notInLedger = (event: StoreEvent, seq: number): void => {
    report({
      kind: 'deleted',
      check: 'store',
      seq,
      eventId: event.eventId,
      detail: `event ${event.eventId} (${event.type} at ${event.streamId} position ${event.streamPosition}, global position ${event.globalPosition}) is in the event store but not in the ledger`,
    });
  };
  const holdEntry = (row: LedgerRow): void => {
    const pending = unmatchedEvents.get(row.eventId);
    if (pending !== undefined) {
      unmatchedEvents.delete(row.eventId);
      compare(row, pending.event);
      return;
    }
    unmatchedEntries.set(row.eventId, row);
    if (unmatchedEntries.size > maxPending) {
      const [oldest] = unmatchedEntries.values();
      if (oldest !== undefined) {
        unmatchedEntries.delete(oldest.eventId);
        notInStore(oldest);
      }
    }
  };
  const holdEvent = (event: StoreEvent, seq: number): void => {
    const pending = unmatchedEntries.get(event.eventId);
    if (pending !== undefined) {
      unmatchedEntries.delete(event.eventId);
      compare(pending, event);
      return;
    }
    unmatchedEvents.set(event.eventId, { event, seq });
    if (unmatchedEvents.size > maxPending) {
      const [oldest] = unmatchedEvents.values();
      if (oldest !== undefined) {
        unmatchedEvents.delete(oldest.event.eventId);
        notInLedger(oldest.event, oldest.seq);
      }
    }
  };

  for (;;) {
    let row = entries.buffered ?? (await entries.current());
    // Entries out of order are matched by id, whenever their event turns up.
    while (row !== undefined && (isOutOfOrder(row) || !isGlobalPosition(row.globalPosition))) {
      holdEntry(row);
      entries.index += 1;
      row = entries.buffered ?? (await entries.current());
    }
    const event = events.buffered ?? (await events.current());
    if (row === undefined && event === undefined) break;
    if (event === undefined) {
      holdEntry(row as LedgerRow);
      lastSeq = (row as LedgerRow).seq;
      entries.index += 1;
      continue;
    }
    if (row === undefined) {
      storeEvents += 1;
      events.index += 1;
      const pending = unmatchedEntries.get(event.eventId);
      if (pending !== undefined) {
        unmatchedEntries.delete(event.eventId);
        compare(pending, event);
      } else if (options.requireComplete === true) {
        holdEvent(event, lastSeq + 1);
      } else {
        behind += 1;
      }
      continue;
    }
    if (row.eventId === event.eventId) {
      compare(row, event);
      lastSeq = row.seq;
      storeEvents += 1;
      entries.index += 1;
      events.index += 1;
      continue;
    }
    const order = comparePositions(row.globalPosition, event.globalPosition);
    if (order <= 0) {
      holdEntry(row);
      lastSeq = row.seq;
      entries.index += 1;
    }
    if (order >= 0) {
      // The event belongs before the current entry, so after the last entry passed.
      holdEvent(event, lastSeq + 1);
      storeEvents += 1;
      events.index += 1;
    }
  }
  for (const row of unmatchedEntries.values()) notInStore(row);
  for (const { event, seq } of unmatchedEvents.values()) notInLedger(event, seq);
  return { storeEvents, matched, behind };
}

function changedFields(ledgerTextValue: string, storeText: string): string {
  let ledgerValue: unknown;
  try {
    ledgerValue = JSON.parse(ledgerTextValue);
  } catch {
    return ' (the ledger text is not JSON)';
  }
  const fields = differingFields(JSON.parse(storeText), ledgerValue);
  return fields.length === 0 ? '' : `; changed: ${fields.join(', ')}`;
}
