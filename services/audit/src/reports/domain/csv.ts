/** A CSV cell: text, a number, a yes/no, or nothing (an empty cell). */
export type Cell = string | number | boolean | null;

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) gets a leading
 * apostrophe: an auditor opening the export must not execute what an operator typed (a message, an actor id).
 */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, its quotes doubled. */
function field(cell: Cell): string {
  const text = cell === null ? '' : typeof cell === 'string' ? inert(cell) : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV document (RFC 4180): the header, then every row, each record ended by CRLF, every record with the header's
 * number of fields. Rows are written in the order given: the reports sort them.
 */
export function csvDocument(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  rows.forEach((row, index) => {
    if (row.length !== columns.length) throw new Error(`CSV row ${index} has ${row.length} fields, the header ${columns.length}`);
  });
  return [columns, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}

/** Compares text by UTF-16 code units: the same order on every machine, whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
