import type { PagedSource } from './store-comparison';

/**
 * Pages read by keyset, each page's read started as soon as the one before arrives, so that PostgreSQL reads the
 * next page while this process hashes the current one.
 */
export function prefetching<T, C>(fetch: (cursor: C) => Promise<T[]>, cursorOf: (last: T) => C, start: C, pageSize: number, stop: { readonly stopped: boolean }): PagedSource<T> {
  const guarded = (promise: Promise<T[]>) => {
    // Handled when awaited; this only keeps an abandoned read from becoming an unhandled rejection.
    promise.catch(() => undefined);
    return promise;
  };
  let pending: Promise<T[]> | undefined = guarded(fetch(start));
  return {
    async next() {
      if (pending === undefined) return undefined;
      const rows = await pending;
      const last = rows[rows.length - 1];
      pending = rows.length >= pageSize && last !== undefined && !stop.stopped ? guarded(fetch(cursorOf(last))) : undefined;
      return rows.length === 0 ? undefined : rows;
    },
  };
}

/** A source of one page. */
export function once<T>(items: readonly T[]): PagedSource<T> {
  let done = items.length === 0;
  return {
    async next() {
      if (done) return undefined;
      done = true;
      return items;
    },
  };
}
