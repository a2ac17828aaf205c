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
