import { Truncations } from './truncations';

describe('what the global log hides', () => {
  it('asks once per stream while fresh, again once stale, and hides what lies below $tb', async () => {
    const lookups: string[] = [];
    const truncateBefore: Record<string, number | undefined> = { 'account-1': 3, 'account-2': undefined };
    let now = 1_000;
    const truncations = new Truncations(
      async (streamId) => {
        lookups.push(streamId);
        return truncateBefore[streamId];
      },
      500,
      () => now,
    );

    await truncations.load(['account-1', 'account-2', 'account-1']);
    expect(lookups).toEqual(['account-1', 'account-2']);
    expect(truncations.hidden('account-1', 2n)).toBe(true);
    expect(truncations.hidden('account-1', 3n)).toBe(false);
    expect(truncations.hidden('account-2', 0n)).toBe(false);

    now += 500;
    await truncations.load(['account-1']);
    expect(lookups).toEqual(['account-1', 'account-2']);

    truncateBefore['account-1'] = 5;
    now += 1;
    await truncations.load(['account-1']);
    expect(lookups).toEqual(['account-1', 'account-2', 'account-1']);
    expect(truncations.hidden('account-1', 4n)).toBe(true);
  });

  it('does not hide an event of a stream it was never asked to load', () => {
    const truncations = new Truncations(async () => 10, Number.POSITIVE_INFINITY);
    expect(truncations.hidden('account-1', 0n)).toBe(false);
  });

  it('passes a failed lookup on to the reader', async () => {
    const truncations = new Truncations(async () => {
      throw new Error('unreachable');
    }, 0);
    await expect(truncations.load(['account-1'])).rejects.toThrow('unreachable');
  });
});
