import type { EventEnvelope } from '@arrears/contracts';
import { canonicalJson } from './canonical-json';

/**
 * The event as the ledger records it: the envelope exactly as the store holds it, without `metadata.trace`. The
 * trace context is the one field that is not the same on every path: the relay replaces it with its own producer
 * span when it publishes (shared/messaging, event-publisher.ts), and starts a trace for an event written outside one.
 * Recording what NATS delivered would make every traced event differ from the store's copy; leaving it out makes the
 * ledger's copy and the store's hash alike, whichever way the event came. A trace is telemetry, not a fact of the case.
 */
export function ledgerEvent(event: EventEnvelope): EventEnvelope {
  if (event.metadata.trace === undefined) return event;
  const { trace: _trace, ...metadata } = event.metadata;
  return { ...event, metadata };
}

/** The text the ledger stores and hashes: the canonical JSON of `ledgerEvent(event)`. */
export function ledgerText(event: EventEnvelope): string {
  return canonicalJson(ledgerEvent(event));
}

/** The categories whose streams are named after the case (its id is the account id), as legal-escalation's gatherCase. */
const OWN_STREAM = /^(?:account|promise|plan|case|legal)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cases an event belongs to, lower-case, sorted, each once: `metadata.caseId`; `data.caseId` when the data names a
 * case (a roster event moving a case after a command about another one); and the case whose own stream holds it
 * (`account-<id>`, `promise-<id>`, `plan-<id>`, `case-<id>`, `legal-<id>`). The first two are legal-escalation's
 * `casesOf` (evidence/gather.ts), the third its `caseOwnStreams`: a case's chain holds exactly the events that
 * `gatherCase` gives for it. An event of no case is in the global chain only.
 */
export function ledgerCasesOf(event: EventEnvelope): string[] {
  return ledgerCases(event.metadata.caseId, (event.data as { caseId?: unknown }).caseId, event.streamId);
}

/** `ledgerCasesOf` from the three things it reads: `metadata.caseId`, `data.caseId` and the stream. */
export function ledgerCases(metadataCaseId: string | undefined, dataCaseId: unknown, streamId: string): string[] {
  const caseId = metadataCaseId?.toLowerCase();
  const aboutId = typeof dataCaseId === 'string' && UUID.test(dataCaseId) ? dataCaseId.toLowerCase() : undefined;
  const ownId = OWN_STREAM.exec(streamId)?.[1]?.toLowerCase();
  const cases: string[] = [];
  for (const id of [caseId, aboutId, ownId]) if (id !== undefined && !cases.includes(id)) cases.push(id);
  return cases.sort();
}

/** The ledger's columns that repeat what the envelope says, in the order `columnsKey` joins them. */
export const DERIVED_COLUMNS = [
  'event_id',
  'stream_id',
  'stream_position',
  'global_position',
  'event_type',
  'schema_version',
  'occurred_at',
  'recorded_at',
  'actor_id',
  'actor_role',
  'case_ids',
] as const;

/** What `columnsKey` reads of an event. */
export type ColumnsSource = Pick<EventEnvelope, 'eventId' | 'streamId' | 'streamPosition' | 'globalPosition' | 'type' | 'schemaVersion' | 'occurredAt' | 'recordedAt'> & {
  readonly metadata: Pick<EventEnvelope['metadata'], 'actorId' | 'actorRole'>;
};

/** The separator of `columnsKey`: a control character no column holds (SQL: `chr(31)`). */
export const COLUMN_SEPARATOR = '\u001f';

/**
 * The derived columns of an entry for this event, joined: verification compares it with the same text built from
 * the row by PostgreSQL (`concat_ws(chr(31), …)`), so a column changed behind the envelope's back is found without
 * parsing the stored JSON. Times are the store's form (UTC, milliseconds, `Z`), case ids comma-separated.
 */
export function columnsKey(event: ColumnsSource, caseIds: readonly string[]): string {
  return [
    event.eventId.toLowerCase(),
    event.streamId,
    String(event.streamPosition),
    event.globalPosition,
    event.type,
    String(event.schemaVersion),
    normalisedInstant(event.occurredAt),
    normalisedInstant(event.recordedAt),
    event.metadata.actorId,
    event.metadata.actorRole,
    caseIds.join(','),
  ].join(COLUMN_SEPARATOR);
}

const STORE_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An instant as PostgreSQL's `to_char(… at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` writes it. */
function normalisedInstant(instant: string): string {
  if (STORE_INSTANT.test(instant)) return instant;
  const time = Date.parse(instant);
  return Number.isNaN(time) ? instant : new Date(time).toISOString();
}

/** The columns that differ between two `columnsKey`s, by name. */
export function differingColumns(expected: string, actual: string): string[] {
  const want = expected.split(COLUMN_SEPARATOR);
  const got = actual.split(COLUMN_SEPARATOR);
  return DERIVED_COLUMNS.filter((_name, index) => want[index] !== got[index]);
}

/** The dotted paths at which two JSON values differ (`data.amount.minor`), at most `limit` of them. */
export function differingFields(a: unknown, b: unknown, limit = 5): string[] {
  const found: string[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (found.length >= limit) return;
    if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null && Array.isArray(x) === Array.isArray(y)) {
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const key of [...keys].sort()) {
        walk((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key], Array.isArray(x) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`);
      }
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) found.push(path === '' ? '(the whole value)' : path);
  };
  walk(a, b, '');
  return found;
}
