import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import type { QueryHandler } from '@arrears/messaging';
import { parseInput } from '@arrears/read-models';
import { Between, type DataSource, type FindOptionsWhere } from 'typeorm';
import { complianceReport, type ComplianceReport } from './compliance-report';
import { bestTimesToCall, contactRateByHour, placedAs, rightPartyRates, type BestTimeToCall, type ContactRateByHour, type RightPartyRates } from './contact-metrics';
import { CollectorDayRow, ContactHistoryRow } from './entities';
import {
  AccountBestTimeParamsSchema,
  BestTimesParamsSchema,
  CollectorDaysParamsSchema,
  ComplianceReportParamsSchema,
  ContactHistoryParamsSchema,
  ContactRateByHourParamsSchema,
  DebtorIdSchema,
  instantsOf,
  RightPartyRateParamsSchema,
  type AccountBestTimeParams,
  type BestTimesParams,
  type CollectorDaysParams,
  type ComplianceReportParams,
  type ContactHistoryParams,
  type ContactRateByHourParams,
  type RightPartyRateParams,
} from './query-params';
import { schemaOf } from './schema';

/** A contact as callers see it: instants as ISO strings, the local time as `YYYY-MM-DDTHH:MM:SS`. */
export type ContactHistoryView = Omit<ContactHistoryRow, 'nextAllowedAt' | 'intendedAt' | 'decidedAt' | 'endedAt' | 'localDate' | 'localTime'> & {
  readonly nextAllowedAt: string | null;
  readonly intendedAt: string;
  /** The intended time in `localTimeZone` (the first zone the decision was judged in); null when PostgreSQL does not know that zone. */
  readonly localIntendedAt: string | null;
  readonly decidedAt: string;
  readonly endedAt: string | null;
};

export interface ContactHistoryPage {
  readonly rows: readonly ContactHistoryView[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextAfter: string | null;
}

/** The best time to call the debtor of a case; `debtorId` is null (and there is no hour) while no contact of the case is known. */
export type AccountBestTimeToCall = Omit<BestTimeToCall, 'debtorId'> & { readonly accountId: string; readonly debtorId: string | null };

export type CollectorDay = Pick<CollectorDayRow, 'operatorId' | 'day' | 'attempts' | 'blocked' | 'rightPartyContacts' | 'conversations' | 'promisesOffered'>;

/** Reads the contact read models: a case's contact history, collector days, the compliance report and the metrics. */
export class ContactQueries {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = quoteIdentifier(schemaOf(dataSource));
  }

  /** A case's contacts, newest intended first (then contact id), keyset paged. An `after` that names no contact of the case gives an empty page. */
  async history(params: ContactHistoryParams): Promise<ContactHistoryPage> {
    const parsed = parseInput(ContactHistoryParamsSchema, params);
    const page = this.dataSource.manager
      .createQueryBuilder(ContactHistoryRow, 'h')
      .where('h.accountId = :accountId', { accountId: parsed.accountId })
      .orderBy('h.intendedAt', 'DESC')
      .addOrderBy('h.contactId', 'DESC')
      .limit(parsed.limit + 1);
    if (parsed.after !== undefined) {
      // Compared with the row itself, not with values carried in a cursor: the timestamp keeps its microseconds.
      const last = page.subQuery().select('a.intendedAt').addSelect('a.contactId').from(ContactHistoryRow, 'a').where('a.contactId = :after and a.accountId = :accountId').getQuery();
      page.andWhere(`(h.intendedAt, h.contactId) < ${last}`, { after: parsed.after });
    }
    const rows = await page.getMany();
    const shown = rows.slice(0, parsed.limit);
    return { rows: shown.map(historyView), nextAfter: rows.length > parsed.limit ? (shown.at(-1)?.contactId ?? null) : null };
  }

  /**
   * Per collector and day, oldest day first, then by operator. UTC days are read from the tallies the projection
   * keeps; with `timeZone` the days are that zone's, and with `jurisdiction`, `creditorId` or `product` only those
   * cases' contacts count, recounted from the contact history.
   */
  async collectorDays(params: CollectorDaysParams): Promise<CollectorDay[]> {
    const parsed = parseInput(CollectorDaysParamsSchema, params);
    if (parsed.timeZone === undefined && parsed.jurisdiction === undefined && parsed.creditorId === undefined && parsed.product === undefined) {
      const where: FindOptionsWhere<CollectorDayRow> = { day: Between(parsed.from, parsed.to), ...(parsed.operatorId === undefined ? {} : { operatorId: parsed.operatorId }) };
      return this.dataSource.manager.find(CollectorDayRow, { where, order: { day: 'ASC', operatorId: 'ASC' } });
    }
    const timeZone = parsed.timeZone ?? 'UTC';
    if (parsed.timeZone !== undefined) await this.knownTimeZone(parsed.timeZone, 'timeZone');
    // Local days reach up to 14 hours either side of the UTC ones: look a day around the range.
    const { from, until } = instantsOf(parsed);
    return this.dataSource.manager.query(
      `select h.operator_id as "operatorId", to_char((h.intended_at at time zone $1)::date, 'YYYY-MM-DD') as day,
              count(*) filter (where h.decision = 'allowed')::int as attempts,
              count(*) filter (where h.decision = 'blocked')::int as blocked,
              count(*) filter (where h.right_party)::int as "rightPartyContacts",
              count(*) filter (where h.conversation)::int as conversations,
              count(*) filter (where h.outcome = 'promise-offered')::int as "promisesOffered"
         from ${this.s}.contact_history h
        where h.intended_at >= $2::timestamptz - interval '1 day' and h.intended_at < $3::timestamptz + interval '1 day'
          and (h.intended_at at time zone $1)::date between $4::date and $5::date
          and ($6::text is null or h.operator_id = $6)
          and ${placedAs(this.s, '$7', '$8')}
          and ($9::text is null or h.jurisdiction = $9 or h.jurisdiction like $9 || '-%')
        group by 1, 2
        order by 2, 1`,
      [timeZone, from, until, parsed.from, parsed.to, parsed.operatorId ?? null, parsed.creditorId ?? null, parsed.product ?? null, parsed.jurisdiction ?? null],
    );
  }

  /** See `ComplianceReport`. Every part is read in one snapshot, so the figures agree with each other. */
  async complianceReport(params: ComplianceReportParams): Promise<ComplianceReport> {
    const parsed = parseInput(ComplianceReportParamsSchema, params);
    return this.dataSource.transaction('REPEATABLE READ', (manager) => complianceReport(manager, this.s, parsed));
  }

  /** Right-party contacts per allowed contact of the channel (calls by default), overall and per collector. */
  async rightPartyRates(params: RightPartyRateParams = {}): Promise<RightPartyRates> {
    const parsed = parseInput(RightPartyRateParamsSchema, params);
    return rightPartyRates(this.dataSource.manager, this.s, parsed);
  }

  /** Attempts, connects and right-party contacts by the debtor's local hour: the time-of-day calling plan. */
  async contactRateByHour(params: ContactRateByHourParams = {}): Promise<ContactRateByHour> {
    const parsed = parseInput(ContactRateByHourParamsSchema, params);
    return contactRateByHour(this.dataSource.manager, this.s, parsed);
  }

  /** Per debtor asked for, in the order asked: the local hour with the most right-party calls, or none. */
  async bestTimesToCall(params: BestTimesParams): Promise<BestTimeToCall[]> {
    const parsed = parseInput(BestTimesParamsSchema, params);
    return bestTimesToCall(this.dataSource.manager, this.s, parsed.debtorIds);
  }

  async bestTimeToCall(debtorId: string): Promise<BestTimeToCall> {
    const id = parseInput(DebtorIdSchema, debtorId, 'debtorId');
    const [best] = await bestTimesToCall(this.dataSource.manager, this.s, [id]);
    if (best === undefined) throw new Error('bestTimesToCall answers for every debtor asked about');
    return best;
  }

  /** `bestTimeToCall` for the debtor of a case, found from the case's contacts: what a collector working the case asks. */
  async bestTimeToCallOnAccount(params: AccountBestTimeParams): Promise<AccountBestTimeToCall> {
    const { accountId } = parseInput(AccountBestTimeParamsSchema, params);
    const contact = await this.dataSource.manager.findOne(ContactHistoryRow, { where: { accountId }, select: { debtorId: true } });
    if (contact === null) return { accountId, debtorId: null, hour: null, timeZone: null, rightPartyContacts: 0, lastRightPartyContactAt: null };
    return { accountId, ...(await this.bestTimeToCall(contact.debtorId)) };
  }

  private async knownTimeZone(zone: string, field: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.manager.query('select 1 from pg_timezone_names where lower(name) = lower($1) limit 1', [zone]);
    if (rows.length === 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: ${JSON.stringify(zone)} is not a time zone PostgreSQL knows`, { field });
  }
}

function historyView(row: ContactHistoryRow): ContactHistoryView {
  const { nextAllowedAt, intendedAt, decidedAt, endedAt, localDate, localTime, ...rest } = row;
  return {
    ...rest,
    nextAllowedAt: nextAllowedAt?.toISOString() ?? null,
    intendedAt: intendedAt.toISOString(),
    localIntendedAt: localDate === null || localTime === null ? null : `${localDate}T${localTime}`,
    decidedAt: decidedAt.toISOString(),
    endedAt: endedAt?.toISOString() ?? null,
  };
}

/** The read models as NATS queries (`<root>.qry.contact-attempts.<Query>`), for the gateway; each validates its params. */
export function contactQueryHandlers(queries: ContactQueries): Record<string, QueryHandler> {
  return {
    ContactHistory: (params) => queries.history(params as ContactHistoryParams),
    CollectorDays: (params) => queries.collectorDays(params as CollectorDaysParams),
    ComplianceReport: (params) => queries.complianceReport(params as ComplianceReportParams),
    RightPartyRates: (params) => queries.rightPartyRates(params as RightPartyRateParams),
    ContactRateByHour: (params) => queries.contactRateByHour(params as ContactRateByHourParams),
    BestTimesToCall: (params) => queries.bestTimesToCall(params as BestTimesParams),
    BestTimeToCall: (params) => queries.bestTimeToCallOnAccount(params as AccountBestTimeParams),
  };
}
