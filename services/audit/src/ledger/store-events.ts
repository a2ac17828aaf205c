import type { EventEnvelope } from '@arrears/contracts';
import type { StoredEventText } from '@arrears/event-store';
import { canonicalFromJsonbText, topLevelMember, topLevelString } from './jsonb-text';
import { columnsKey, ledgerCases, ledgerCasesOf, ledgerText, type ColumnsSource } from './ledger-event';

/**
 * An event of the store as the comparison with the ledger needs it: where it is, and what the ledger must hold for
 * it — its canonical text (`ledgerText`) and its derived columns (`columnsKey`), computed when asked for, since an
 * event found nowhere in the ledger needs neither.
 */
export interface StoreEvent {
  readonly eventId: string;
  readonly globalPosition: string;
  readonly type: string;
  readonly streamId: string;
  readonly streamPosition: number;
  /** `ledgerText` of the event: the text the ledger's entry must hold. */
  ledgerText(): string;
  /** `columnsKey` of the event: what the entry's derived columns must say. */
  columnsKey(): string;
}

/** An event as the port's `readAll` gives it. */
export class EnvelopeEvent implements StoreEvent {
  constructor(readonly event: EventEnvelope) {}

  get eventId(): string {
    return this.event.eventId;
  }

  get globalPosition(): string {
    return this.event.globalPosition;
  }

  get type(): string {
    return this.event.type;
  }

  get streamId(): string {
    return this.event.streamId;
  }

  get streamPosition(): number {
    return this.event.streamPosition;
  }

  ledgerText(): string {
    return ledgerText(this.event);
  }

  columnsKey(): string {
    return columnsKey(this.event, ledgerCasesOf(this.event));
  }
}

/**
 * An event as PostgreSQL's row holds it (`PostgresEventStore.readAllText`): its text and columns are written from
 * the jsonb text (jsonb-text.ts) without parsing it, and only when that cannot be done for sure is it parsed into
 * the envelope `readAll` would have given, and that written out — so the result is `EnvelopeEvent`'s either way.
 */
export class StoredTextEvent implements StoreEvent {
  readonly eventId: string;
  readonly globalPosition: string;
  readonly type: string;
  readonly streamId: string;
  readonly streamPosition: number;
  private columns: string | undefined;

  constructor(private readonly row: StoredEventText) {
    this.eventId = row.eventId;
    this.globalPosition = row.globalPosition;
    this.type = row.type;
    this.streamId = row.streamId;
    this.streamPosition = row.streamPosition;
  }

  ledgerText(): string {
    return this.fromText() ?? ledgerText(this.envelope());
  }

  columnsKey(): string {
    if (this.columns !== undefined) return this.columns;
    const event = this.envelope();
    return columnsKey(event, ledgerCasesOf(event));
  }

  /** The ledger text from the jsonb text (and the columns, kept for `columnsKey`); undefined when it must be parsed. */
  private fromText(): string | undefined {
    const row = this.row;
    if (row.data.charCodeAt(0) !== OPEN_BRACE || row.metadata.charCodeAt(0) !== OPEN_BRACE) return undefined;
    const data = canonicalFromJsonbText(row.data);
    if (data === undefined) return undefined;
    const aboutCase = topLevelString('caseId');
    const metadata = canonicalFromJsonbText(row.metadata, 'trace');
    if (metadata === undefined) return undefined;
    const caseId = plainString('caseId');
    const actorId = plainString('actorId');
    const actorRole = plainString('actorRole');
    if (caseId === NOT_PLAIN || actorId === NOT_PLAIN || actorRole === NOT_PLAIN) return undefined;
    const text =
      `{"data":${data},"eventId":${JSON.stringify(row.eventId)},"globalPosition":${JSON.stringify(row.globalPosition)},"metadata":${metadata}` +
      `,"occurredAt":${JSON.stringify(row.occurredAt)},"recordedAt":${JSON.stringify(row.recordedAt)},"schemaVersion":${JSON.stringify(row.schemaVersion)}` +
      `,"streamId":${JSON.stringify(row.streamId)},"streamPosition":${JSON.stringify(row.streamPosition)},"type":${JSON.stringify(row.type)}}`;
    // The role is whatever text the store holds: columnsKey only joins it.
    const metadataColumns = { actorId, actorRole } as ColumnsSource['metadata'];
    this.columns = columnsKey({ ...row, metadata: metadataColumns }, ledgerCases(caseId, aboutCase, row.streamId));
    return text;
  }

  /** What `readAll` gives for the row: the same fields, data and metadata parsed. */
  private envelope(): EventEnvelope {
    const row = this.row;
    return {
      eventId: row.eventId,
      type: row.type,
      schemaVersion: row.schemaVersion,
      streamId: row.streamId,
      streamPosition: row.streamPosition,
      globalPosition: row.globalPosition,
      occurredAt: row.occurredAt,
      recordedAt: row.recordedAt,
      data: JSON.parse(row.data) as Record<string, unknown>,
      metadata: JSON.parse(row.metadata) as EventEnvelope['metadata'],
    };
  }
}

const OPEN_BRACE = 0x7b;
const NOT_PLAIN = Symbol('not a plain string');

/**
 * A top-level member of the metadata just read, as the envelope's code would see it: a string, or undefined when
 * absent or null; anything else is left to the parsed envelope (`NOT_PLAIN`).
 */
function plainString(key: string): string | undefined | typeof NOT_PLAIN {
  const text = topLevelMember(key);
  if (text === undefined || text === 'null') return undefined;
  return topLevelString(key) ?? NOT_PLAIN;
}
