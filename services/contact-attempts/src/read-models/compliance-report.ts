import type { EntityManager } from 'typeorm';
import { placedAs } from './contact-metrics';
import { instantsOf, type ContactWindow, type ParsedComplianceReportParams } from './query-params';

/**
 * The compliance report for a range of days. The checks of contact times and frequency do not trust the decisions'
 * reasons: they recompute from what each decision recorded — its instant, every time zone it was judged in, the
 * debtor's jurisdiction — against limits given here, so a rule the engine got wrong (or a pack it picked wrongly)
 * shows up. A jurisdiction's country selects the limits: `US-IL` takes the `US` ones.
 */
export interface ComplianceReport {
  readonly from: string;
  readonly to: string;
  readonly jurisdiction: string | null;
  /** The case's creditor and product asked for (null: any). */
  readonly creditorId: string | null;
  readonly product: string | null;
  readonly contacts: { readonly allowed: number; readonly blocked: number };
  /** Blocked decisions per rule that blocked them (a decision blocked by two rules counts for each). */
  readonly blockedByRule: readonly { readonly ruleId: string; readonly blocked: number }[];
  readonly quietHours: QuietHoursCheck;
  readonly frequency: FrequencyCheck;
  readonly prohibitedLanguage: readonly { readonly category: string; readonly hits: number; readonly detections: number }[];
  readonly complaints: ComplaintFigures;
}

export interface QuietHoursCheck {
  /** Allowed contacts (of the channels checked) whose country has a window. */
  readonly checked: number;
  /** Allowed contacts whose country has no window given. */
  readonly notChecked: number;
  /** Checked contacts with a recorded time zone PostgreSQL does not know: only their other zones were checked. */
  readonly unverifiable: number;
  /** Contacts outside the window in at least one of their zones: must be zero. */
  readonly violations: number;
  /** One entry per contact and zone outside the window, oldest first, up to `listLimit`. */
  readonly listed: readonly QuietHoursViolation[];
}

export interface QuietHoursViolation {
  readonly contactId: string;
  readonly accountId: string;
  readonly debtorId: string;
  readonly operatorId: string;
  readonly channel: string;
  readonly jurisdiction: string;
  readonly intendedAt: string;
  readonly timeZone: string;
  /** `YYYY-MM-DDTHH:MM:SS` in `timeZone`. */
  readonly localTime: string;
  readonly window: ContactWindow;
}

export interface FrequencyCheck {
  /** Allowed calls that made more than the limit for their account within 7 days (the window ending at the call): must be none. */
  readonly callsPerAccount: { readonly violations: number; readonly listed: readonly AccountFrequencyViolation[] };
  /** Local days (per debtor and zone) with more connected calls than the limit: must be none. */
  readonly connectedCallsPerDebtorDay: { readonly violations: number; readonly listed: readonly DebtorDayViolation[] };
}

export interface AccountFrequencyViolation {
  readonly accountId: string;
  readonly contactId: string;
  readonly operatorId: string;
  readonly intendedAt: string;
  /** Allowed calls in the 7 days up to and including this one. */
  readonly callsInWindow: number;
  readonly windowStart: string;
  readonly limit: number;
}

export interface DebtorDayViolation {
  readonly debtorId: string;
  readonly timeZone: string;
  readonly localDate: string;
  readonly connectedCalls: number;
  readonly limit: number;
  readonly contactIds: readonly string[];
}

export interface ComplaintFigures {
  /** Received in the range. */
  readonly received: number;
  /** Of those, not resolved by the end of the range. */
  readonly open: number;
  readonly resolved: number;
  readonly upheld: number;
  /** Resolved − received of those resolved by the end of the range, in seconds; null when none was. */
  readonly handlingSeconds: { readonly median: number; readonly max: number } | null;
  readonly byCategory: readonly { readonly category: string; readonly received: number; readonly open: number; readonly upheld: number }[];
}

/** `$3` is the jurisdiction filter: a country matches its jurisdictions too. */
const IN_JURISDICTION = `($3::text is null or h.jurisdiction = $3 or h.jurisdiction like $3 || '-%')`;
/** The parameters every part of the report starts with: the range, the jurisdiction, the creditor and the product; its own follow from `$6`. */
const FIRST_OWN = 6;
const COUNTRY = `upper(split_part(h.jurisdiction, '-', 1))`;

/** Runs every part of the report in one snapshot (the caller's REPEATABLE READ transaction); `s` is the quoted schema. */
export async function complianceReport(manager: EntityManager, s: string, params: ParsedComplianceReportParams): Promise<ComplianceReport> {
  const { from, until } = instantsOf(params);
  const range = [from, until, params.jurisdiction ?? null, params.creditorId ?? null, params.product ?? null];
  const q = async <T>(sql: string, extra: readonly unknown[] = []): Promise<T[]> => (await manager.query(sql, [...range, ...extra])) as T[];
  // The contacts of the jurisdiction asked for, of the cases of the creditor and product asked for.
  const inScope = `${IN_JURISDICTION} and ${placedAs(s, '$4', '$5')}`;
  // Complaints and language hits name no jurisdiction: theirs is that of their account's contacts.
  const accountsInScope = `($3::text is null or account_id in (select h.account_id from ${s}.contact_history h where ${IN_JURISDICTION}))
    and (($4::text is null and $5::text is null) or account_id in (select h.account_id from ${s}.case_placements h where ($4::text is null or h.creditor_id = $4) and ($5::text is null or h.product = $5)))`;
  const own = (n: number) => `$${FIRST_OWN + n}`;

  const [contacts] = await q<{ allowed: number; blocked: number }>(
    `select count(*) filter (where h.decision = 'allowed')::int as allowed, count(*) filter (where h.decision = 'blocked')::int as blocked from ${s}.contact_history h where h.intended_at >= $1 and h.intended_at < $2 and ${inScope}`,
  );

  const blockedByRule = await q<{ ruleId: string; blocked: number }>(
    `select r.reason ->> 'ruleId' as "ruleId", count(*)::int as blocked
       from ${s}.contact_history h cross join lateral jsonb_array_elements(h.reasons) as r(reason)
      where h.decision = 'blocked' and h.intended_at >= $1 and h.intended_at < $2 and ${inScope}
      group by 1 order by 2 desc, 1`,
  );

  // Allowed contacts, each with its country's window (null when none is given), and the check in every recorded zone.
  const windowed = `
    with windows as (select key as country, (value ->> 'from')::time as opens, (value ->> 'to')::time as closes from jsonb_each(${own(0)}::jsonb)),
    allowed as (
      select h.*, w.opens, w.closes
        from ${s}.contact_history h left join windows w on w.country = ${COUNTRY}
       where h.decision = 'allowed' and h.channel = any(${own(1)}::text[]) and h.intended_at >= $1 and h.intended_at < $2 and ${inScope}
    ),
    outside as (
      select a.*, z.zone, (a.intended_at at time zone z.zone) as local_at
        from allowed a cross join lateral unnest(a.time_zones) as z(zone)
       where a.opens is not null
         and not ((a.intended_at at time zone z.zone)::time >= a.opens and (a.intended_at at time zone z.zone)::time < a.closes)
    )`;
  const windowParams = [JSON.stringify(params.contactWindows), params.quietHoursChannels];
  const [quiet] = await q<{ checked: number; notChecked: number; unverifiable: number; violations: number }>(
    `${windowed}
     select (select count(*) from allowed where opens is not null)::int as checked,
            (select count(*) from allowed where opens is null)::int as "notChecked",
            (select count(*) from allowed where opens is not null and cardinality(unrecognised_time_zones) > 0)::int as unverifiable,
            (select count(distinct contact_id) from outside)::int as violations`,
    windowParams,
  );
  const quietListed = await q<RawQuietViolation>(
    `${windowed}
     select contact_id as "contactId", account_id as "accountId", debtor_id as "debtorId", operator_id as "operatorId", channel, jurisdiction,
            intended_at as "intendedAt", zone as "timeZone", to_char(local_at, 'YYYY-MM-DD"T"HH24:MI:SS') as "localTime",
            to_char(opens, 'HH24:MI') as opens, to_char(closes, 'HH24:MI') as closes
       from outside order by intended_at, contact_id, zone limit ${own(2)}`,
    [...windowParams, params.listLimit],
  );

  // Every allowed call counted against its account's others in the 7 days up to it (the start excluded); the calls
  // of the 7 days before the range count towards the windows of the range's first days.
  const perAccount = `
    with limits as (select key as country, value::int as max_calls from jsonb_each_text(${own(0)}::jsonb)),
    calls as (
      select h.account_id, h.contact_id, h.operator_id, h.intended_at, l.max_calls,
             count(*) over seven_days as calls_in_window, min(h.intended_at) over seven_days as window_start
        from ${s}.contact_history h join limits l on l.country = ${COUNTRY}
       where h.decision = 'allowed' and h.channel = 'call' and h.intended_at >= $1::timestamptz - interval '7 days' and h.intended_at < $2
         and ${inScope}
      window seven_days as (partition by h.account_id, l.max_calls order by h.intended_at range between interval '6 days 23:59:59.999999' preceding and current row)
    ),
    breaches as (select * from calls where calls_in_window > max_calls and intended_at >= $1)`;
  const [accountBreaches] = await q<{ violations: number }>(`${perAccount} select count(*)::int as violations from breaches`, [JSON.stringify(params.callsPerAccountPer7Days)]);
  const accountListed = await q<RawAccountViolation>(
    `${perAccount}
     select account_id as "accountId", contact_id as "contactId", operator_id as "operatorId", intended_at as "intendedAt",
            calls_in_window::int as "callsInWindow", window_start as "windowStart", max_calls as "limit"
       from breaches order by intended_at, contact_id limit ${own(1)}`,
    [JSON.stringify(params.callsPerAccountPer7Days), params.listLimit],
  );

  // Connected calls per debtor and local day, in every zone recorded: a day is a breach in any zone it exceeds in.
  // Local days reach up to 14 hours either side of the UTC range, so the calls a day around it are looked at. (The
  // alias is not `local_date`: in a GROUP BY, contact_history's own column of that name would win.)
  const perDebtorDay = `
    with limits as (select key as country, value::int as max_calls from jsonb_each_text(${own(0)}::jsonb)),
    days as (
      select h.debtor_id, z.zone, (h.intended_at at time zone z.zone)::date as zone_date, l.max_calls,
             count(*)::int as connected_calls, array_agg(h.contact_id order by h.intended_at, h.contact_id) as contact_ids
        from ${s}.contact_history h join limits l on l.country = ${COUNTRY} cross join lateral unnest(h.time_zones) as z(zone)
       where h.decision = 'allowed' and h.channel = 'call' and h.connected
         and h.intended_at >= $1::timestamptz - interval '1 day' and h.intended_at < $2::timestamptz + interval '1 day' and ${inScope}
       group by h.debtor_id, z.zone, zone_date, l.max_calls
    ),
    breaches as (select * from days where connected_calls > max_calls and zone_date >= ${own(1)}::date and zone_date <= ${own(2)}::date)`;
  const dayParams = [JSON.stringify(params.connectedCallsPerDebtorPerDay), params.from, params.to];
  const [dayBreaches] = await q<{ violations: number }>(`${perDebtorDay} select count(*)::int as violations from breaches`, dayParams);
  const dayListed = await q<DebtorDayViolation>(
    `${perDebtorDay}
     select debtor_id as "debtorId", zone as "timeZone", to_char(zone_date, 'YYYY-MM-DD') as "localDate", connected_calls as "connectedCalls",
            max_calls as "limit", contact_ids::text[] as "contactIds"
       from breaches order by zone_date, debtor_id, zone limit ${own(3)}`,
    [...dayParams, params.listLimit],
  );

  const prohibitedLanguage = await q<{ category: string; hits: number; detections: number }>(
    `select category, count(*)::int as hits, count(distinct event_id)::int as detections
       from ${s}.language_hits where detected_at >= $1 and detected_at < $2 and ${accountsInScope}
      group by category order by hits desc, category`,
  );

  // Open and upheld as of the end of the range: a report of a past period reads the same later.
  const complaintFigures = `
    count(*)::int as received,
    count(*) filter (where resolved_at is null or resolved_at >= $2)::int as open,
    count(*) filter (where resolved_at < $2)::int as resolved,
    count(*) filter (where resolved_at < $2 and upheld)::int as upheld`;
  const [complaints] = await q<{ received: number; open: number; resolved: number; upheld: number; median: number | null; max: number | null }>(
    `select ${complaintFigures},
            percentile_cont(0.5) within group (order by extract(epoch from resolved_at - received_at)::float8) filter (where resolved_at < $2) as median,
            max(extract(epoch from resolved_at - received_at)::float8) filter (where resolved_at < $2) as max
       from ${s}.complaints where received_at >= $1 and received_at < $2 and ${accountsInScope}`,
  );
  const complaintsByCategory = await q<{ category: string; received: number; open: number; upheld: number }>(
    `select category, ${complaintFigures}
       from ${s}.complaints where received_at >= $1 and received_at < $2 and ${accountsInScope}
      group by category order by received desc, category`,
  );

  return {
    from: params.from,
    to: params.to,
    jurisdiction: params.jurisdiction ?? null,
    creditorId: params.creditorId ?? null,
    product: params.product ?? null,
    contacts: contacts ?? { allowed: 0, blocked: 0 },
    blockedByRule,
    quietHours: {
      checked: quiet?.checked ?? 0,
      notChecked: quiet?.notChecked ?? 0,
      unverifiable: quiet?.unverifiable ?? 0,
      violations: quiet?.violations ?? 0,
      listed: quietListed.map(({ opens, closes, intendedAt, ...rest }) => ({ ...rest, intendedAt: intendedAt.toISOString(), window: { from: opens, to: closes } })),
    },
    frequency: {
      callsPerAccount: {
        violations: accountBreaches?.violations ?? 0,
        listed: accountListed.map((row) => ({ ...row, intendedAt: row.intendedAt.toISOString(), windowStart: row.windowStart.toISOString() })),
      },
      connectedCallsPerDebtorDay: { violations: dayBreaches?.violations ?? 0, listed: dayListed },
    },
    prohibitedLanguage,
    complaints: {
      received: complaints?.received ?? 0,
      open: complaints?.open ?? 0,
      resolved: complaints?.resolved ?? 0,
      upheld: complaints?.upheld ?? 0,
      handlingSeconds: complaints?.median == null || complaints.max === null ? null : { median: complaints.median, max: complaints.max },
      byCategory: complaintsByCategory,
    },
  };
}

type RawQuietViolation = Omit<QuietHoursViolation, 'intendedAt' | 'window'> & { readonly intendedAt: Date; readonly opens: string; readonly closes: string };
type RawAccountViolation = Omit<AccountFrequencyViolation, 'intendedAt' | 'windowStart'> & { readonly intendedAt: Date; readonly windowStart: Date };
