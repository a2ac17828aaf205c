import { compareProblems, ProblemLog, type LedgerProblem } from './problems';

const problem = (kind: LedgerProblem['kind'], seq: number | null, eventId: string | null = null, check: LedgerProblem['check'] = 'store'): LedgerProblem => ({
  kind,
  check,
  seq,
  eventId,
  detail: '',
});

describe('the problem log', () => {
  it('puts the explanation before the broken link at one seq, and a named event before an unnamed one', () => {
    const sorted = [problem('chain-broken', 4), problem('reordered', 4), problem('deleted', 4), problem('deleted', 4, 'e'), problem('inserted', 9), problem('checkpoint', null), problem('modified', 2)].sort(compareProblems);
    expect(sorted.map((p) => `${p.kind}@${p.seq}${p.eventId ? ':' + p.eventId : ''}`)).toEqual(['modified@2', 'deleted@4:e', 'deleted@4', 'reordered@4', 'chain-broken@4', 'inserted@9', 'checkpoint@null']);
  });

  it('puts what the entries show before what the case chains show at one seq', () => {
    const sorted = [problem('inserted', 8, 'e', 'case-links'), problem('chain-broken', 8, 'e', 'global-chain'), problem('reordered', 8, 'e', 'order')].sort(compareProblems);
    expect(sorted.map((p) => p.check)).toEqual(['order', 'global-chain', 'case-links']);
  });

  it('keeps the first problems by seq however they arrive, and counts them all', () => {
    const log = new ProblemLog(3);
    for (const seq of [50, 7, 90, 3, 60, 8, 1]) log.add(problem('modified', seq));
    expect(log.problems.map((p) => p.seq)).toEqual([1, 3, 7]);
    expect(log.first?.seq).toBe(1);
    expect(log.count).toBe(7);
    expect(new ProblemLog(1).first).toBeNull();
    expect(() => new ProblemLog(0)).toThrow('positive integer');
  });
});
