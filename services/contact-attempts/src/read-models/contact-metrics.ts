import type { EntityManager } from 'typeorm';
import { instantsOf } from './query-params';

/*
 * Metrics from the contact history, computed in SQL. A contact counts on the day and at the hour it was intended
 * for (`intendedAt`); the local hour is the debtor's, in the first time zone the decision was judged in. A contact
 * allowed but without an outcome yet counts as an attempt that reached nobody.
 */

export interface RightPartyRate {
  readonly allowedCalls: number;
  readonly rightPartyContacts: number;
  /** rightPartyContacts / allowedCalls; null without calls. */
  readonly rate: number | null;
}

export interface RightPartyRates {
  readonly overall: RightPartyRate;
  /** Per collector, by operator id. */
  readonly byCollector: readonly (RightPartyRate & { readonly operatorId: string })[];
}

export interface HourOfDay {
  /** 0–23, the debtor's local hour. */
  readonly hour: number;
  readonly attempts: number;
  readonly connects: number;
  readonly rightPartyContacts: number;
  /** connects / attempts; null without attempts. */
  readonly connectRate: number | null;
  readonly rightPartyRate: number | null;
}

export interface ContactRateByHour {
  /** All 24 hours, in order. */
  readonly hours: readonly HourOfDay[];
  /** Allowed contacts left out: their first time zone is unknown to PostgreSQL, so they have no local hour. */
  readonly withoutLocalTime: number;
}

export interface BestTimeToCall {
  readonly debtorId: string;
  /** The local hour with the most right-party contacts (ties: the one with the most recent); null when there is none. */
  readonly hour: number | null;
  /** The zone of the most recent right-party contact in that hour. */
  readonly timeZone: string | null;
  readonly rightPartyContacts: number;
  readonly lastRightPartyContactAt: string | null;
}

export interface MetricsFilter {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly jurisdiction?: string | undefined;
  readonly channel: string;
  readonly operatorId?: string | undefined;
  readonly creditorId?: string | undefined;
  readonly product?: string | undefined;
}

/** The case's creditor and product, `$c` and `$p` (null: any), of the contacts `h`; a case not placed here matches neither. */
export function placedAs(s: string, c: string, p: string): string {
  return `((${c}::text is null and ${p}::text is null)
           or h.account_id in (select pl.account_id from ${s}.case_placements pl
                                where (${c}::text is null or pl.creditor_id = ${c}) and (${p}::text is null or pl.product = ${p})))`;
}

/** Allowed contacts of the channel matching the filter; parameters $1–$7. */
function allowedMatching(s: string, filter: MetricsFilter): { where: string; params: unknown[] } {
  const { from, until } = instantsOf(filter);
  return {
    where: `from ${s}.contact_history h
      where h.decision = 'allowed' and h.channel = $1
        and ($2::timestamptz is null or h.intended_at >= $2) and ($3::timestamptz is null or h.intended_at < $3)
        and ($4::text is null or h.jurisdiction = $4 or h.jurisdiction like $4 || '-%')
        and ($5::text is null or h.operator_id = $5)
        and ${placedAs(s, '$6', '$7')}`,
    params: [filter.channel, from, until, filter.jurisdiction ?? null, filter.operatorId ?? null, filter.creditorId ?? null, filter.product ?? null],
  };
}

export async function rightPartyRates(manager: EntityManager, s: string, filter: MetricsFilter): Promise<RightPartyRates> {
  const { where, params } = allowedMatching(s, filter);
  const rows: (RightPartyRate & { operatorId: string | null; overall: boolean })[] = await manager.query(
    `select h.operator_id as "operatorId", grouping(h.operator_id) = 1 as overall,
            count(*)::int as "allowedCalls", count(*) filter (where h.right_party)::int as "rightPartyContacts",
            (count(*) filter (where h.right_party))::float8 / nullif(count(*), 0) as rate
       ${where}
      group by grouping sets ((h.operator_id), ())
      order by overall desc, h.operator_id`,
    params,
  );
  const rate = ({ allowedCalls, rightPartyContacts, rate }: RightPartyRate): RightPartyRate => ({ allowedCalls, rightPartyContacts, rate });
  const overall = rows.find((row) => row.overall);
  return {
    overall: overall === undefined ? { allowedCalls: 0, rightPartyContacts: 0, rate: null } : rate(overall),
    byCollector: rows.filter((row) => !row.overall).map((row) => ({ operatorId: row.operatorId ?? '', ...rate(row) })),
  };
}

export async function contactRateByHour(manager: EntityManager, s: string, filter: MetricsFilter): Promise<ContactRateByHour> {
  const { where, params } = allowedMatching(s, filter);
  const hours: HourOfDay[] = await manager.query(
    `with counted as (
       select extract(hour from h.local_time)::int as hour, count(*)::int as attempts,
              count(*) filter (where h.connected)::int as connects, count(*) filter (where h.right_party)::int as rpcs
         ${where} and h.local_time is not null
        group by 1
     )
     select hours.hour, coalesce(c.attempts, 0) as attempts, coalesce(c.connects, 0) as connects, coalesce(c.rpcs, 0) as "rightPartyContacts",
            c.connects::float8 / nullif(c.attempts, 0) as "connectRate", c.rpcs::float8 / nullif(c.attempts, 0) as "rightPartyRate"
       from generate_series(0, 23) as hours(hour) left join counted c on c.hour = hours.hour
      order by hours.hour`,
    params,
  );
  const [unplaced] = (await manager.query(`select count(*)::int as n ${where} and h.local_time is null`, params)) as { n: number }[];
  return { hours, withoutLocalTime: unplaced?.n ?? 0 };
}

export async function bestTimesToCall(manager: EntityManager, s: string, debtorIds: readonly string[]): Promise<BestTimeToCall[]> {
  const rows: (Omit<BestTimeToCall, 'lastRightPartyContactAt'> & { lastRightPartyContactAt: Date })[] = await manager.query(
    `with by_hour as (
       select h.debtor_id, extract(hour from h.local_time)::int as hour, count(*)::int as rpcs, max(h.intended_at) as last_at,
              (array_agg(h.local_time_zone order by h.intended_at desc, h.contact_id desc))[1] as time_zone
         from ${s}.contact_history h
        where h.debtor_id = any($1::uuid[]) and h.right_party and h.channel = 'call' and h.local_time is not null
        group by h.debtor_id, 2
     )
     select distinct on (debtor_id) debtor_id as "debtorId", hour, time_zone as "timeZone", rpcs as "rightPartyContacts", last_at as "lastRightPartyContactAt"
       from by_hour order by debtor_id, rpcs desc, last_at desc, hour`,
    [debtorIds],
  );
  const found = new Map(rows.map((row) => [row.debtorId, row]));
  return debtorIds.map((debtorId) => {
    const best = found.get(debtorId);
    if (best === undefined) return { debtorId, hour: null, timeZone: null, rightPartyContacts: 0, lastRightPartyContactAt: null };
    return { ...best, lastRightPartyContactAt: best.lastRightPartyContactAt.toISOString() };
  });
}
