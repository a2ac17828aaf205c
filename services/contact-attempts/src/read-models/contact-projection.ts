import { ArrearsError, contactAttempts, ErrorCode, EventCatalog, type EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { applyOnce, isCasePlacement, outOfOrder, recordCasePlacement, toSafeInteger, type ProjectionTarget } from '@arrears/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import { isRightParty, tallyChanges, type DayTally, type TalliedContact } from './collector-tally';
import { CasePlacementRow, ComplaintRow, ContactHistoryRow, LanguageHitRow } from './entities';
import { schemaOf } from './schema';

export interface ContactProjectionOptions {
  readonly dataSource: DataSource;
  /**
   * The name `processOnce` records applied events under: the handler's durable consumer
   * (`JetStreamContext.getConsumerName()`), e.g. `contact-attempts__read-models`.
   */
  readonly consumer: string;
}

type ContactEvent = contactAttempts.ContactEvent;
type EventOfType<T extends ContactEvent['type']> = Extract<ContactEvent, { type: T }>;
type Decided = EventOfType<'ContactAllowed' | 'ContactBlocked'>;

interface Applied {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly occurredAt: string;
}

const catalog = new EventCatalog(contactAttempts.CONTACT_EVENTS);

/**
 * Keeps the contact history, the collector days, the complaints and the prohibited-language hits from the events of
 * the debtors' contact streams (`contact-<debtorId>`), and each case's creditor and product from the account's
 * AccountPlaced (`case_placements`). Each event is applied in one transaction together with its
 * `processOnce` record, so a redelivery changes nothing. Independently of that record, every event is guarded by the
 * last position applied to its stream: an event at or below it is skipped, so replaying a history (under another
 * consumer name, or from the start) changes nothing either — the collector days are counters and would double —
 * and an event whose predecessor has not been applied yet is refused (CONCURRENCY_CONFLICT) to be retried.
 */
export class ContactProjection {
  private readonly target: ProjectionTarget;
  private readonly s: string;
  private zoneNames: Promise<ReadonlySet<string>> | undefined;

  constructor(options: ContactProjectionOptions) {
    this.target = { dataSource: options.dataSource, consumer: options.consumer, schema: schemaOf(options.dataSource) };
    this.s = quoteIdentifier(this.target.schema);
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    if (isCasePlacement(envelope)) return recordCasePlacement(this.target, CasePlacementRow, envelope);
    const event = catalog.decode(envelope);
    if (envelope.streamId !== `contact-${event.data.debtorId}`) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} for debtor ${event.data.debtorId} arrived on stream ${envelope.streamId}`, { field: 'streamId' });
    }
    const at: Applied = { eventId: envelope.eventId, streamId: envelope.streamId, streamPosition: envelope.streamPosition, occurredAt: envelope.occurredAt };
    const known = event.type === 'ContactAllowed' || event.type === 'ContactBlocked' ? await this.knownTimeZones() : undefined;
    await applyOnce(this.target, envelope, async (manager) => {
      if (!(await this.claim(manager, at))) return;
      await this.apply(manager, event, at, known ?? new Set());
      await manager.query(`update ${this.s}.contact_streams set last_applied_position = $2 where stream_id = $1`, [at.streamId, at.streamPosition]);
    });
  }

  /**
   * Locks the stream's row and says whether this event is the next one to apply: false when it was applied already,
   * CONCURRENCY_CONFLICT when a predecessor is missing (nothing is kept then, not even the processOnce record).
   */
  private async claim(manager: EntityManager, at: Applied): Promise<boolean> {
    await manager.query(`insert into ${this.s}.contact_streams (stream_id, last_applied_position) values ($1, -1) on conflict do nothing`, [at.streamId]);
    const rows: { last_applied_position: string }[] = await manager.query(`select last_applied_position from ${this.s}.contact_streams where stream_id = $1 for update`, [at.streamId]);
    const last = toSafeInteger(rows[0]?.last_applied_position ?? -1, 'last applied position');
    if (at.streamPosition <= last) return false;
    if (at.streamPosition === last + 1) return true;
    throw outOfOrder(at, last + 1);
  }

  private async apply(manager: EntityManager, event: ContactEvent, at: Applied, knownZones: ReadonlySet<string>): Promise<void> {
    switch (event.type) {
      case 'ContactAllowed':
      case 'ContactBlocked':
        return this.decided(manager, event, at, knownZones);
      case 'AttemptOutcomeRecorded':
        return this.outcome(manager, event.data);
      case 'ProhibitedLanguageDetected': {
        const { data } = event;
        const hits = data.hits.map((hit, hitIndex) => ({
          eventId: at.eventId,
          hitIndex,
          accountId: data.accountId,
          debtorId: data.debtorId,
          contactId: data.contactId ?? null,
          source: data.source,
          operatorId: data.operatorId,
          ruleId: hit.ruleId,
          category: hit.category,
          term: hit.term,
          detectedAt: new Date(at.occurredAt),
        }));
        await manager.createQueryBuilder().insert().into(LanguageHitRow).values(hits).orIgnore().execute();
        return;
      }
      case 'ContactPreferenceSet':
        return; // no read model here needs the preferences; the stream position still moves
      case 'ComplaintRecorded': {
        const { data } = event;
        const complaint = {
          complaintId: data.complaintId,
          accountId: data.accountId,
          debtorId: data.debtorId,
          category: data.category,
          channel: data.channel ?? null,
          receivedAt: new Date(data.receivedAt),
          resolvedAt: null,
          upheld: null,
        };
        await manager.createQueryBuilder().insert().into(ComplaintRow).values(complaint).orIgnore().execute();
        return;
      }
      case 'ComplaintResolved': {
        const { data } = event;
        const result = await manager.update(ComplaintRow, { complaintId: data.complaintId }, { resolvedAt: new Date(data.resolvedAt), upheld: data.upheld });
        if (result.affected === 0) throw unknown('complaint', data.complaintId, 'data.complaintId');
        return;
      }
      case 'DialTargetReleased':
        return; // an audit fact: the number itself is never in the read models
      default:
        return unreachable(event);
    }
  }

  /**
   * One row per contact. A decision made again for a contact already decided replaces the decision (its outcome, if
   * any, stays), and the collector days move with it.
   */
  private async decided(manager: EntityManager, event: Decided, at: Applied, knownZones: ReadonlySet<string>): Promise<void> {
    const { data } = event;
    const before = await manager.findOne(ContactHistoryRow, { where: { contactId: data.contactId }, lock: { mode: 'pessimistic_write' } });
    const recognised = data.timeZones.filter((zone) => knownZones.has(zone.toLowerCase()));
    const unrecognised = data.timeZones.filter((zone) => !knownZones.has(zone.toLowerCase()));
    const firstZone = data.timeZones[0] !== undefined && knownZones.has(data.timeZones[0].toLowerCase()) ? data.timeZones[0] : null;
    const decision = event.type === 'ContactAllowed' ? 'allowed' : 'blocked';
    const nextAllowedAt = event.type === 'ContactBlocked' ? (event.data.nextAllowedAt ?? null) : null;
    // The local date and time are PostgreSQL's, like the report's own recomputation of them.
    await manager.query(
      `insert into ${this.s}.contact_history (contact_id, account_id, debtor_id, operator_id, channel, target_kind, target_key, purpose, decision,
         rule_pack, jurisdiction, time_zones, unrecognised_time_zones, reasons, next_allowed_at, intended_at, local_time_zone, local_date, local_time, decided_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::timestamptz, $17::text,
         ($16::timestamptz at time zone $17::text)::date, date_trunc('second', $16::timestamptz at time zone $17::text)::time, $18)
       on conflict (contact_id) do update set
         account_id = excluded.account_id, debtor_id = excluded.debtor_id, operator_id = excluded.operator_id, channel = excluded.channel,
         target_kind = excluded.target_kind, target_key = excluded.target_key, purpose = excluded.purpose, decision = excluded.decision,
         rule_pack = excluded.rule_pack, jurisdiction = excluded.jurisdiction, time_zones = excluded.time_zones,
         unrecognised_time_zones = excluded.unrecognised_time_zones, reasons = excluded.reasons, next_allowed_at = excluded.next_allowed_at,
         intended_at = excluded.intended_at, local_time_zone = excluded.local_time_zone, local_date = excluded.local_date,
         local_time = excluded.local_time, decided_at = excluded.decided_at`,
      [
        data.contactId,
        data.accountId,
        data.debtorId,
        data.operatorId,
        data.channel,
        data.target.kind,
        data.target.key,
        data.purpose,
        decision,
        data.rulePack,
        data.jurisdiction,
        recognised,
        unrecognised,
        JSON.stringify(data.reasons),
        nextAllowedAt,
        data.intendedAt,
        firstZone,
        at.occurredAt,
      ],
    );
    const after: TalliedContact = {
      operatorId: data.operatorId,
      intendedAt: new Date(data.intendedAt),
      decision,
      outcome: before?.outcome ?? null,
      conversation: before?.conversation ?? null,
      rightParty: before?.rightParty ?? null,
    };
    await this.count(manager, tallyChanges(before, after));
  }

  private async outcome(manager: EntityManager, data: EventOfType<'AttemptOutcomeRecorded'>['data']): Promise<void> {
    const before = await manager.findOne(ContactHistoryRow, { where: { contactId: data.contactId }, lock: { mode: 'pessimistic_write' } });
    // Its decision is earlier in the same stream, so it has been applied: a missing contact is a fault upstream.
    if (before === null) throw unknown('contact', data.contactId, 'data.contactId');
    const changes = {
      outcome: data.outcome,
      conversation: data.conversation,
      connected: data.connected,
      rightParty: isRightParty(data.outcome),
      durationSeconds: data.durationSeconds ?? null,
      recordingReference: data.recordingReference ?? null,
      endedAt: new Date(data.endedAt),
    };
    await manager.update(ContactHistoryRow, { contactId: data.contactId }, changes);
    await this.count(manager, tallyChanges(before, { ...before, ...changes }));
  }

  private async count(manager: EntityManager, changes: readonly DayTally[]): Promise<void> {
    for (const { operatorId, day, tally } of changes) {
      const values = [operatorId, day, tally.attempts, tally.blocked, tally.rightPartyContacts, tally.conversations, tally.promisesOffered];
      if (Object.values(tally).some((value) => value < 0)) {
        // Taking back what the contact's earlier row counted: that day exists. (An upsert would not do: PostgreSQL
        // checks the row it proposes to insert, negative counts and all, before it finds the conflict.)
        const [, affected] = (await manager.query(
          `update ${this.s}.collector_days set attempts = attempts + $3, blocked = blocked + $4, right_party_contacts = right_party_contacts + $5,
             conversations = conversations + $6, promises_offered = promises_offered + $7
           where operator_id = $1 and day = $2`,
          values,
        )) as [unknown, number];
        if (affected !== 1) throw new Error(`collector day ${operatorId} ${day} missing: the contact read model is inconsistent`);
        continue;
      }
      await manager.query(
        `insert into ${this.s}.collector_days (operator_id, day, attempts, blocked, right_party_contacts, conversations, promises_offered)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (operator_id, day) do update set
           attempts = collector_days.attempts + excluded.attempts,
           blocked = collector_days.blocked + excluded.blocked,
           right_party_contacts = collector_days.right_party_contacts + excluded.right_party_contacts,
           conversations = collector_days.conversations + excluded.conversations,
           promises_offered = collector_days.promises_offered + excluded.promises_offered`,
        values,
      );
    }
  }

  /**
   * The time-zone names PostgreSQL knows (lower-cased: it matches them regardless of case). A zone it does not know
   * is kept apart, so that no report query trips over it. Read once per projection: the list is the server's.
   */
  private knownTimeZones(): Promise<ReadonlySet<string>> {
    this.zoneNames ??= this.target.dataSource
      .query('select lower(name) as name from pg_timezone_names')
      .then((rows: { name: string }[]) => new Set(rows.map((row) => row.name)))
      .catch((error: unknown) => {
        this.zoneNames = undefined;
        throw error;
      });
    return this.zoneNames;
  }
}

function unknown(what: string, id: string, field: string): ArrearsError {
  return new ArrearsError(ErrorCode.NOT_FOUND, `No ${what} ${id} in the contact read model, though every earlier event of its stream has been applied`, { field });
}

function unreachable(value: never): never {
  throw new Error(`Unhandled contact event: ${JSON.stringify(value)}`);
}
