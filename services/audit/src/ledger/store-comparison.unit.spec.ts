import type { EventEnvelope } from '@arrears/contracts';
import type { LedgerRow } from './ledger-scan';
import { LedgerScanner } from './ledger-scan';
import type { LedgerProblem } from './problems';
import { compareWithStore, type PagedSource } from './store-comparison';
import { EnvelopeEvent } from './store-events';
import { modelLedger, storedEvents } from './testing/model';

function pages<T>(items: readonly T[], size: number): PagedSource<T> {
  let start = 0;
  return {
    async next() {
      if (start >= items.length) return undefined;
      const page = items.slice(start, start + size);
      start += size;
      return page;
    },
  };
}

/** Scans the rows (for the order) and compares them with the store's events, as verifyLedger does. */
async function compare(rows: readonly LedgerRow[], events: readonly EventEnvelope[], options: { requireComplete?: boolean; maxPending?: number } = {}) {
  const problems: LedgerProblem[] = [];
  const report = (problem: LedgerProblem) => problems.push(problem);
  const scanner = new LedgerScanner(() => undefined);
  const ordered = [...scanner.push(rows), ...scanner.end()];
  const result = await compareWithStore(pages(ordered, 4), pages(events.map((event) => new EnvelopeEvent(event)), 3), report, { isOutOfOrder: (row) => scanner.isOutOfOrder(row), ...options });
  return { result, problems, named: problems.map((problem) => `${problem.kind}@${problem.seq}:${problem.check}`) };
}

describe('comparing the ledger with the store', () => {
  const events = storedEvents(12);
  const { rows } = modelLedger(events);

  it('finds every event in both, alike, in the same order', async () => {
    const { result, problems } = await compare(rows, events);
    expect(problems).toEqual([]);
    expect(result).toEqual({ storeEvents: 12, matched: 12, behind: 0 });
  });

  it('counts the store events after the ledger\'s last entry as the ledger catching up, unless it must be complete', async () => {
    expect((await compare(rows.slice(0, 9), events)).result).toEqual({ storeEvents: 12, matched: 9, behind: 3 });
    const complete = await compare(rows.slice(0, 9), events, { requireComplete: true });
    expect(complete.named).toEqual(['deleted@10:store', 'deleted@10:store', 'deleted@10:store']);
  });

  it('names an entry whose event differs from the store\'s, with the fields', async () => {
    const text = (rows[4] as LedgerRow).text.replace('"minor":104', '"minor":1');
    const { problems } = await compare(rows.map((row) => (row.seq === 5 ? { ...row, text } : row)), events);
    expect(problems).toEqual([expect.objectContaining({ kind: 'modified', check: 'store', seq: 5, eventId: events[4]?.eventId, detail: expect.stringContaining('changed: data.amount.minor') })]);
  });

  it('names an entry whose columns say something its event does not', async () => {
    const columns = (rows[2] as LedgerRow).columns.replace('PaymentPosted', 'PaymentReversed');
    const { problems } = await compare(rows.map((row) => (row.seq === 3 ? { ...row, columns } : row)), events);
    expect(problems).toEqual([expect.objectContaining({ kind: 'modified', check: 'columns', seq: 3, detail: 'its columns event_type disagree with its event' })]);
  });

  it('names a store event missing from the ledger at the seq it belongs at, renumbered or not', async () => {
    const gap = await compare(rows.filter((row) => row.seq !== 6), events);
    expect(gap.problems).toEqual([expect.objectContaining({ kind: 'deleted', check: 'store', seq: 6, eventId: events[5]?.eventId })]);
    const renumbered = await compare(rows.filter((row) => row.seq !== 6).map((row, index) => ({ ...row, seq: index + 1 })), events);
    expect(renumbered.named).toEqual(['deleted@6:store']);
    const first = await compare(rows.slice(1).map((row, index) => ({ ...row, seq: index + 1 })), events);
    expect(first.named).toEqual(['deleted@1:store']);
  });

  it('names an entry whose event is not in the store', async () => {
    const [extra] = modelLedger(storedEvents(1, { firstCommit: 1004 })).rows;
    const inserted = [...rows.slice(0, 5), { ...(extra as LedgerRow), seq: 6 }, ...rows.slice(5).map((row) => ({ ...row, seq: row.seq + 1 }))];
    expect((await compare(inserted, events)).named).toEqual(['inserted@6:store']);
    const appended = [...rows, { ...(extra as LedgerRow), seq: 13, globalPosition: '5000:1' }];
    expect((await compare(appended, events)).named).toEqual(['inserted@13:store']);
  });

  it('matches entries out of order by id, so that a swap misaligns nothing else', async () => {
    const swapped = rows.map((row) => (row.seq === 3 ? { ...(rows[9] as LedgerRow), seq: 3 } : row.seq === 10 ? { ...(rows[2] as LedgerRow), seq: 10 } : row));
    const { problems, result } = await compare(swapped, events);
    expect(problems).toEqual([]);
    expect(result.matched).toBe(12);
  });

  it('holds at most maxPending unmatched entries, reporting the oldest when it must let go', async () => {
    const foreign = modelLedger(storedEvents(5, { firstCommit: 1 })).rows;
    const { named: flooded } = await compare(foreign, events, { maxPending: 2 });
    expect(flooded.filter((name) => name.startsWith('inserted'))).toHaveLength(5);
  });
});
