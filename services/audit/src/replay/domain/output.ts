import { canonicalJson } from './canonical-json';
import type { Reason } from './reasons';
import type { CaseSnapshot } from './snapshot';
import type { TimelineEntry } from './timeline';

/** The timeline as JSON Lines: one canonical JSON object a line, each line ended by `\n`. The same history gives the same bytes. */
export function toJsonl(timeline: readonly TimelineEntry[]): string {
  return timeline.map((entry) => `${canonicalJson(entry)}\n`).join('');
}

/** A snapshot as canonical JSON (sorted keys, no insignificant whitespace, no trailing newline). */
export function snapshotJson(snapshot: CaseSnapshot): string {
  return canonicalJson(snapshot);
}

export const TIMELINE_CSV_COLUMNS = [
  'position',
  'time',
  'recorded_at',
  'service',
  'stream',
  'stream_position',
  'event_id',
  'type',
  'schema_version',
  'known',
  'actor_id',
  'actor_role',
  'summary',
  'reasons',
] as const;

/** `code: message (key=value, …)`, the reasons of one event joined by ` | `. */
function reasonsCell(reasons: readonly Reason[]): string {
  return reasons
    .map(({ code, message, facts }) => {
      const figures = Object.keys(facts)
        .sort()
        .map((key) => `${key}=${String(facts[key])}`);
      return `${code === null ? '' : `${code}: `}${message}${figures.length === 0 ? '' : ` (${figures.join(', ')})`}`;
    })
    .join(' | ');
}

/**
 * A cell of text someone typed (a reason, an actor, a summary quoting one) that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, a tab or a carriage return first) gets a leading apostrophe: an auditor opening the export
 * must not execute what an operator wrote. The apostrophe is shown, the rest is the text unchanged.
 */
function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, its quotes doubled. */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The timeline as CSV (RFC 4180): a header row, one row per event, CRLF after every row. Reasons are one cell. The
 * same history gives the same bytes.
 */
export function timelineCsv(timeline: readonly TimelineEntry[]): string {
  const rows = timeline.map((entry) =>
    [
      entry.position,
      entry.time,
      entry.recordedAt,
      entry.service ?? '',
      entry.stream,
      String(entry.streamPosition),
      entry.eventId,
      entry.type,
      String(entry.schemaVersion),
      String(entry.known),
      inert(entry.actor.id),
      entry.actor.role,
      inert(entry.summary),
      inert(reasonsCell(entry.reasons)),
    ],
  );
  return [[...TIMELINE_CSV_COLUMNS], ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
