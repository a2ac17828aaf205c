import { OrderCheck, type Positioned } from './order-check';
import type { LedgerProblem } from './problems';

/** Runs entries holding these positions (as commit numbers) through the check; gives the seqs found out of order. */
function outOfOrder(commits: readonly (number | string)[]): number[] {
  const problems: LedgerProblem[] = [];
  const check = new OrderCheck<Positioned>((problem) => problems.push(problem));
  const decided: Positioned[] = [];
  commits.forEach((commit, index) => {
    const entry = { seq: index + 1, eventId: `e${index + 1}`, globalPosition: typeof commit === 'number' ? `${commit}:1` : commit };
    const previous = check.push(entry);
    if (previous !== undefined) decided.push(previous);
  });
  const last = check.end();
  if (last !== undefined) decided.push(last);
  expect(decided.map((entry) => entry.seq)).toEqual(commits.map((_, index) => index + 1));
  for (const problem of problems) expect(check.isOutOfOrder({ seq: problem.seq as number, eventId: '', globalPosition: '' })).toBe(true);
  expect(problems.every((problem) => problem.kind === 'reordered' && problem.check === 'order')).toBe(true);
  return problems.map((problem) => problem.seq as number);
}

describe('the order check', () => {
  it('finds nothing in increasing positions', () => {
    expect(outOfOrder([1, 2, 5, 9, 10, 11])).toEqual([]);
    expect(outOfOrder([])).toEqual([]);
    expect(outOfOrder([7])).toEqual([]);
  });

  it('names the first of two adjacent entries swapped, and only it', () => {
    expect(outOfOrder([1, 2, 4, 3, 5])).toEqual([3]);
    expect(outOfOrder([2, 1, 3])).toEqual([1]);
  });

  it('names both of two distant entries swapped, and none between them', () => {
    expect(outOfOrder([1, 2, 8, 4, 5, 6, 7, 3, 9])).toEqual([3, 8]);
  });

  it('names an entry moved back where it sits, and one moved forward where it sits', () => {
    expect(outOfOrder([1, 2, 7, 3, 4, 5, 6, 8])).toEqual([3]);
    expect(outOfOrder([1, 3, 4, 5, 6, 2, 7])).toEqual([6]);
    expect(outOfOrder([1, 2, 3, 4, 5, 1])).toEqual([6]);
  });

  it('names the last entry when it is out of order, and a copy of a position', () => {
    expect(outOfOrder([1, 2, 3, 2])).toEqual([4]);
    expect(outOfOrder([1, 2, 2, 3])).toEqual([3]);
  });

  it('names an entry whose position is not one', () => {
    expect(outOfOrder([1, 'nonsense', 3])).toEqual([2]);
  });
});
