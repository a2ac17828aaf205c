import type { Row } from './api';

/** A cell's text: primitives as they are, arrays and objects as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** RFC 4180: fields with a comma, quote or line break quoted, quotes doubled; CRLF between records. */
export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const field = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return [columns.map(field).join(','), ...rows.map((row) => columns.map((column) => field(cellText(row[column]))).join(','))].join('\r\n') + '\r\n';
}

/** Nested objects spread into dotted columns (`completed.count`), so a table and its CSV have one value a cell. */
export function flatten(row: Row, prefix = ''): Row {
  const flat: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(flat, flatten(value as Row, `${prefix}${key}.`));
    else flat[`${prefix}${key}`] = value;
  }
  return flat;
}

function columnsOf(rows: readonly Row[]): string[] {
  const columns: string[] = [];
  for (const row of rows.slice(0, 50)) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

export interface TableOptions {
  readonly columns?: readonly string[];
  /** The file name of the CSV export, without `.csv`. */
  readonly name: string;
  /** Columns whose value is a case (account) id: rendered as a link to the case page. */
  readonly caseColumns?: readonly string[];
  readonly empty?: string;
}

/** A table of rows with a "CSV" button exporting exactly what it shows. */
export function table(given: readonly Row[], options: TableOptions): HTMLElement {
  const rows = given.map((row) => flatten(row));
  const wrapper = document.createElement('div');
  wrapper.className = 'table';
  const columns = options.columns ?? columnsOf(rows);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'csv';
  button.textContent = 'Export CSV';
  button.addEventListener('click', () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv' }));
    link.download = `${options.name}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  wrapper.append(button);
  if (rows.length === 0) {
    const note = document.createElement('p');
    note.className = 'empty';
    note.textContent = options.empty ?? 'Nothing here.';
    wrapper.append(note);
    return wrapper;
  }
  const element = document.createElement('table');
  const head = element.createTHead().insertRow();
  for (const column of columns) head.append(Object.assign(document.createElement('th'), { textContent: column }));
  const body = element.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const column of columns) {
      const cell = tr.insertCell();
      const text = cellText(row[column]);
      if (options.caseColumns?.includes(column) && text !== '') {
        cell.append(Object.assign(document.createElement('a'), { href: `#/case/${encodeURIComponent(text)}`, textContent: text, className: 'case-link' }));
      } else cell.textContent = text;
    }
  }
  wrapper.append(element);
  return wrapper;
}

/** One page of a list: its rows, and what to ask for the next page with (undefined on the last page). */
export interface Page {
  readonly rows: readonly Row[];
  readonly next?: string | undefined;
}

/**
 * A table of a list the API pages (keyset `after`/`nextAfter`, or `offset`/`nextOffset`): the first page, and a
 * "More rows" button while there is a next page, adding it below. The CSV exports every row loaded so far.
 */
export async function pagedTable(load: (next?: string) => Promise<Page>, options: TableOptions): Promise<HTMLElement> {
  const wrapper = document.createElement('div');
  wrapper.className = 'paged';
  const rows: Row[] = [];
  const show = (page: Page): void => {
    rows.push(...page.rows);
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'more';
    more.textContent = 'More rows';
    more.addEventListener('click', () => {
      more.disabled = true;
      load(page.next)
        .then(show)
        .catch((error: unknown) => {
          more.disabled = false;
          wrapper.append(Object.assign(document.createElement('p'), { className: 'error', textContent: error instanceof Error ? error.message : String(error) }));
        });
    });
    const status = Object.assign(document.createElement('p'), { className: 'rows-shown', textContent: `${rows.length} row${rows.length === 1 ? '' : 's'}${page.next === undefined ? '' : ', more to load'}` });
    wrapper.replaceChildren(table(rows, options), ...(rows.length === 0 ? [] : [status]), ...(page.next === undefined ? [] : [more]));
  };
  show(await load());
  return wrapper;
}
