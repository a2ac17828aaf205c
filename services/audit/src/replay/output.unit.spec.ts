import type { EventEnvelope } from '@arrears/contracts';
import { caseStateAt, caseTimeline, snapshotJson, timelineCsv, TIMELINE_CSV_COLUMNS, toJsonl } from './index';
import { MOMENTS, realisticCase } from './testing/realistic-case';

/** An RFC 4180 reader, written for the test: quoted fields, doubled quotes, CRLF between records. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (quoted && char === '"' && text[at + 1] === '"') {
      field += '"';
      at += 1;
    } else if (quoted && char === '"') {
      quoted = false;
    } else if (quoted) {
      field += char;
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[at + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      at += 1;
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

/** The same value with every object's keys sorted, written here apart from the canonical writer under test. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, inner]) => [key, sortedKeys(inner)]));
}

describe('canonical outputs', () => {
  const { events } = realisticCase();

  it('replaying twice gives byte-identical JSONL, CSV and snapshot JSON, whatever order the events come in', () => {
    const once = caseTimeline(events);
    const twice = caseTimeline([...events].reverse().concat(events.slice(0, 5)));
    expect(Buffer.from(toJsonl(twice))).toEqual(Buffer.from(toJsonl(once)));
    expect(Buffer.from(timelineCsv(twice))).toEqual(Buffer.from(timelineCsv(once)));
    for (const at of Object.values(MOMENTS)) {
      expect(snapshotJson(caseStateAt([...events].reverse(), at))).toBe(snapshotJson(caseStateAt(events, at)));
    }
  });

  it('writes JSON Lines: one canonical object a line, keys sorted, no whitespace between tokens', () => {
    const timeline = caseTimeline(events);
    const text = toJsonl(timeline);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(events.length);
    lines.forEach((line, index) => {
      expect(JSON.parse(line)).toEqual(timeline[index]);
      expect(line).toBe(JSON.stringify(sortedKeys(JSON.parse(line))));
      expect(line.startsWith('{"actor":{"id":')).toBe(true); // "actor" sorts first, "id" before "role"
    });
  });

  it('writes a snapshot as canonical JSON that reads back as the snapshot', () => {
    const state = caseStateAt(events, MOMENTS.end);
    const text = snapshotJson(state);
    expect(JSON.parse(text)).toEqual(state);
    expect(text.startsWith('{"account":{"balance":{"fees":0,"interest":0,"principal":25000,"total":25000},')).toBe(true);
    expect(text).not.toContain('\n');
    expect(text).not.toContain('pii:v1:'); // no personal field is carried into the state
  });

  it('writes RFC 4180 CSV: a header, a row per event, CRLF, quoted fields that read back exactly', () => {
    const timeline = caseTimeline(events);
    const text = timelineCsv(timeline);
    const rows = readCsv(text);
    expect(rows[0]).toEqual([...TIMELINE_CSV_COLUMNS]);
    expect(rows).toHaveLength(timeline.length + 1);
    timeline.forEach((entry, index) => {
      const row = rows[index + 1] as string[];
      expect(row).toHaveLength(TIMELINE_CSV_COLUMNS.length);
      expect(row.slice(0, 13)).toEqual([
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
        entry.actor.id,
        entry.actor.role,
        entry.summary,
      ]);
    });
    const blocked = rows.find((row) => row[7] === 'ContactBlocked' && row[13]?.includes('after-conversation'));
    expect(blocked?.[13]).toBe(
      'reg-f.after-conversation: A conversation about this debt took place on 2026-12-01: no calls for 7 days (counted=1, limit=0, nextAllowedAt=2026-12-08T14:00:00.000Z) | pref.inconvenient-time: The debtor said 09:00-17:00 on weekdays is inconvenient',
    );
    expect(text).toContain('"Account placed by Acme Bank (ref. CC-1), credit-card: USD 800.00 owed (principal USD 800.00, fees USD 0.00, interest USD 0.00), due 2026-10-01; debtor [encrypted], US-IL"');
  });

  it('quotes commas, quotes and line breaks in free text, and keeps a spreadsheet from running it as a formula', () => {
    const requested = events.find((event) => event.type === 'LegalEscalationRequested') as EventEnvelope;
    const typed = { ...requested, data: { ...requested.data, reasons: ['=HYPERLINK("http://x", "click")\r\nsecond line, with "quotes"'] } } as EventEnvelope;
    const text = timelineCsv(caseTimeline([typed]));
    expect(text.endsWith(`,"'=HYPERLINK(""http://x"", ""click"")\r\nsecond line, with ""quotes"""\r\n`)).toBe(true);
    expect(readCsv(text)[1]?.[13]).toBe(`'=HYPERLINK("http://x", "click")\r\nsecond line, with "quotes"`);
    const flagged = events.find((event) => event.type === 'AccountFlagged') as EventEnvelope;
    const formula = { ...flagged, data: { ...flagged.data, reason: 'plain' }, metadata: { ...flagged.metadata, actorId: '=cmd|calc' } } as EventEnvelope;
    expect(readCsv(timelineCsv(caseTimeline([formula])))[1]?.[10]).toBe("'=cmd|calc");
  });
});
