/** Reading a keyset-paged list whole, for the tests of a read model's queries. */
import type { Page } from '../paging';

/** Every page of a list, following `nextAfter` from the first page (`after` undefined) to the last. */
export async function allPages<Row, Cursor>(read: (after: Cursor | undefined) => Promise<Page<Row, Cursor>>): Promise<Row[][]> {
  const pages: Row[][] = [];
  let after: Cursor | undefined;
  do {
    const page = await read(after);
    pages.push([...page.rows]);
    after = page.nextAfter ?? undefined;
  } while (after !== undefined);
  return pages;
}
