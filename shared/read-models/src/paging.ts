import { z } from 'zod';

/** The most rows one page of a read model's list holds, and how many it holds when the caller does not say. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** A list's `limit`: a whole number from 1 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when left out. */
export const PageLimitSchema = z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);

/** One page of a keyset-paged list. */
export interface Page<Row, Cursor> {
  readonly rows: readonly Row[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextAfter: Cursor | null;
}

/**
 * A page made of what the list's query read with a limit of `limit + 1`, the one more telling whether another page
 * follows: the first `limit` rows as views, and the key of the last of them when there are more.
 */
export function keysetPage<Stored, Row, Cursor>(rows: readonly Stored[], limit: number, view: (row: Stored) => Row, key: (row: Row) => Cursor): Page<Row, Cursor> {
  const shown = rows.slice(0, limit).map(view);
  const last = shown.at(-1);
  return { rows: shown, nextAfter: rows.length > limit && last !== undefined ? key(last) : null };
}
