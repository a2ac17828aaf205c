import { keysetPage, PageLimitSchema, type Page } from './paging';
import { allPages } from './testing/paging';

describe('keysetPage', () => {
  const view = (n: number) => ({ id: `row-${n}` });
  const key = (row: { readonly id: string }) => row.id;

  it('shows the first `limit` rows, and the key of the last shown when the query read one more', () => {
    expect(keysetPage([1, 2, 3], 2, view, key)).toEqual({ rows: [{ id: 'row-1' }, { id: 'row-2' }], nextAfter: 'row-2' });
    // Exactly `limit` rows, or fewer, or none: the last page.
    expect(keysetPage([1, 2], 2, view, key)).toEqual({ rows: [{ id: 'row-1' }, { id: 'row-2' }], nextAfter: null });
    expect(keysetPage([1], 2, view, key)).toEqual({ rows: [{ id: 'row-1' }], nextAfter: null });
    expect(keysetPage([], 2, view, key)).toEqual({ rows: [], nextAfter: null });
  });

  it('takes a limit from 1 to 200, 50 when left out', () => {
    expect(PageLimitSchema.parse(undefined)).toBe(50);
    expect([PageLimitSchema.safeParse(0).success, PageLimitSchema.safeParse(200).success, PageLimitSchema.safeParse(201).success, PageLimitSchema.safeParse(1.5).success]).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });
});

describe('allPages', () => {
  it('follows nextAfter from the first page to the last', async () => {
    const rows = [1, 2, 3, 4, 5];
    const asked: (number | undefined)[] = [];
    const read = async (after: number | undefined): Promise<Page<number, number>> => {
      asked.push(after);
      return keysetPage(rows.filter((n) => after === undefined || n > after).slice(0, 3), 2, (n) => n, (n) => n);
    };
    expect(await allPages(read)).toEqual([[1, 2], [3, 4], [5]]);
    expect(asked).toEqual([undefined, 2, 4]);
  });
});
