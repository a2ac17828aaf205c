import { ArrearsError, ErrorCode, type accounts } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { keysetPage, parseInput, type Page } from '@arrears/read-models';
import { IsNull, Not, type DataSource } from 'typeorm';
import { ESCALATION_STATUSES, EscalationRow, OPEN_ESCALATION_STATUSES, type EscalationStatus, type LitigationStatus } from './entities';
import {
  CaseIdSchema,
  EscalationListParamsSchema,
  HandoffNumberSchema,
  HandoffTimesParamsSchema,
  StatusCountFilterSchema,
  type EscalationKey,
  type EscalationListOptions,
  type HandoffTimesParams,
  type StatusCountFilter,
} from './query-params';
import { schemaOf } from './schema';

/** Legal is to have the package, and to have acknowledged it, within this many hours of the request. */
export const HANDOFF_DEADLINE_HOURS = 48;

/** A handoff as callers see it: instants as ISO strings, days as `YYYY-MM-DD`. */
export interface EscalationView {
  readonly caseId: string;
  readonly handoff: number;
  /** Now, whatever it was at an instant asked about. */
  readonly status: EscalationStatus;
  /** Its 48 hours passed unacknowledged; it stays so once acknowledged late. */
  readonly overdue: boolean;
  readonly reasons: readonly string[];
  /** Null, as is the deadline, for a handoff refused before it started. */
  readonly requestedBy: string | null;
  readonly requestedAt: string;
  readonly deadlineAt: string | null;
  readonly packageId: string | null;
  readonly evidenceFixedAt: string | null;
  readonly deliveredAt: string | null;
  readonly hoursToDelivery: number | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
  readonly hoursToAcknowledgement: number | null;
  readonly remindersSent: number;
  readonly lastReminderAt: string | null;
  readonly overdueAt: string | null;
  readonly refusedAt: string | null;
  readonly refusalHolds: readonly accounts.Flag[] | null;
  readonly litigationStatus: LitigationStatus | null;
  readonly litigationOn: string | null;
  readonly hearingDate: string | null;
  readonly closedAt: string | null;
}

export interface EscalationAgeView extends EscalationView {
  /** From the request to the instant asked about, in milliseconds. */
  readonly ageMs: number;
  /**
   * From the instant asked about to the 48-hour deadline, in milliseconds (below zero past it); null when the handoff
   * was acknowledged or refused by then, or never started.
   */
  readonly timeLeftMs: number | null;
}

export type EscalationPage = Page<EscalationAgeView, EscalationKey>;

export interface StatusCount {
  readonly status: EscalationStatus;
  readonly escalations: number;
  /** Of those, the ones flagged overdue. */
  readonly overdue: number;
}

export interface HandoffStepFigures {
  /** Handoffs that got this far. */
  readonly count: number;
  /** Hours from the request, to the hundredth; null when none got this far. */
  readonly averageHours: number | null;
  readonly medianHours: number | null;
  /** The 90th percentile, interpolated between the handoffs around it. */
  readonly p90Hours: number | null;
  /** Within 48 hours of the request. */
  readonly withinDeadline: number;
}

export interface HandoffTimes {
  readonly from: string;
  readonly to: string;
  /** Handoffs requested in the period, those refused included. */
  readonly requested: number;
  readonly refused: number;
  readonly delivery: HandoffStepFigures;
  readonly acknowledgement: HandoffStepFigures;
}

type Step = 'delivery' | 'acknowledgement';
/** The row of `handoffTimes`: the counts, and each step's figures as `<step>_count`, `<step>_average` and so on. */
type TimesRecord = { readonly requested: number; readonly refused: number } & Readonly<Record<`${Step}_${'count' | 'within'}`, number>> &
  Readonly<Record<`${Step}_${'average' | 'median' | 'p90'}`, number | null>>;

/** The hours each step of a handoff took, as the events that ended the step said. */
const STEP_HOURS: Readonly<Record<Step, string>> = { delivery: 'delivery_hours', acknowledgement: 'acknowledgement_hours' };

/**
 * Reads the legal read models: handoffs per status, the list of handoffs with their age and the time left to their
 * deadline, one case's handoff, and how long handoffs take. Every instant is passed in: the read model never reads the
 * clock.
 */
export class LegalQueries {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = quoteIdentifier(schemaOf(dataSource));
  }

  /** How many handoffs are in each status (every status, in the handoff's order) and how many of them are overdue. */
  async statusCounts(filter: StatusCountFilter = {}): Promise<readonly StatusCount[]> {
    const parsed = parseInput(StatusCountFilterSchema, filter);
    const rows: { status: EscalationStatus; escalations: number; overdue: number }[] = await this.dataSource.manager.query(
      `select status, count(*)::int as escalations, count(*) filter (where overdue)::int as overdue from ${this.s}.escalations
        where ($1::text is null or requested_by = $1) and ($2::boolean is null or overdue = $2)
        group by status`,
      [parsed.requestedBy ?? null, parsed.overdue ?? null],
    );
    const counts = new Map(rows.map((row) => [row.status, row]));
    return ESCALATION_STATUSES.map((status) => ({ status, escalations: counts.get(status)?.escalations ?? 0, overdue: counts.get(status)?.overdue ?? 0 }));
  }

  /**
   * The handoffs requested by `asOf`, the oldest request first (then by case and handoff), keyset paged; narrowed to
   * one status (now), those in flight now (or the others), the overdue ones (or the others), or one requester. Each
   * with its age at `asOf` and the time left then to its deadline.
   */
  async escalations(asOf: string, options: EscalationListOptions = {}): Promise<EscalationPage> {
    const parsed = parseInput(EscalationListParamsSchema, { ...options, asOf });
    const query = this.dataSource.manager
      .createQueryBuilder(EscalationRow, 'e')
      .where('e.requestedAt <= :asOf', { asOf: parsed.asOf })
      .orderBy('e.requestedAt', 'ASC')
      .addOrderBy('e.caseId', 'ASC')
      .addOrderBy('e.handoff', 'ASC')
      .limit(parsed.limit + 1);
    if (parsed.status !== undefined) query.andWhere('e.status = :status', { status: parsed.status });
    if (parsed.inFlight !== undefined) query.andWhere(`e.status ${parsed.inFlight ? 'in' : 'not in'} (:...open)`, { open: OPEN_ESCALATION_STATUSES });
    if (parsed.overdue !== undefined) query.andWhere('e.overdue = :overdue', { overdue: parsed.overdue });
    if (parsed.requestedBy !== undefined) query.andWhere('e.requestedBy = :requestedBy', { requestedBy: parsed.requestedBy });
    if (parsed.creditorId !== undefined || parsed.jurisdiction !== undefined) {
      // A country takes in its jurisdictions (`US` is `US-IL` too); a case whose placement is not applied here matches neither.
      query.andWhere(
        `exists (select 1 from ${this.s}.case_placements c
                  where c.case_id = e.case_id and (CAST(:creditorId AS text) is null or c.creditor_id = :creditorId)
                    and (CAST(:jurisdiction AS text) is null or c.jurisdiction = :jurisdiction or c.jurisdiction like :jurisdiction || '-%'))`,
        { creditorId: parsed.creditorId ?? null, jurisdiction: parsed.jurisdiction ?? null },
      );
    }
    if (parsed.after !== undefined) {
      // Compared with the row itself, not with values carried in a cursor.
      const last = `(select a.requested_at, a.case_id, a.handoff from ${this.s}.escalations a where a.case_id = :afterCase and a.handoff = :afterHandoff)`;
      query.andWhere(`(e.requestedAt, e.caseId, e.handoff) > ${last}`, { afterCase: parsed.after.caseId, afterHandoff: parsed.after.handoff });
    }
    const rows = await query.getMany();
    const at = Date.parse(parsed.asOf);
    return keysetPage(
      rows,
      parsed.limit,
      (row) => ({ ...escalationView(row), ageMs: at - row.requestedAt.getTime(), timeLeftMs: timeLeft(row, at) }),
      (row) => ({ caseId: row.caseId, handoff: row.handoff }),
    );
  }

  /** The case's latest handoff, or the one numbered `handoff`; NOT_FOUND when the read model has none. */
  async escalation(caseId: string, handoff?: number): Promise<EscalationView> {
    const id = parseInput(CaseIdSchema, caseId, 'caseId');
    const number = handoff === undefined ? undefined : parseInput(HandoffNumberSchema, handoff, 'handoff');
    const row = await this.dataSource.manager.findOne(EscalationRow, { where: { caseId: id, ...(number === undefined ? {} : { handoff: number }) }, order: { handoff: 'DESC' } });
    if (row === null) {
      const what = number === undefined ? 'no handoff' : `no handoff ${number}`;
      throw new ArrearsError(ErrorCode.NOT_FOUND, `Case ${id} has ${what} in the legal read model`, { field: number === undefined ? 'caseId' : 'handoff' });
    }
    return escalationView(row);
  }

  /**
   * How many handoffs of the case started (a refusal before a handoff started does not count): whether the legal
   * department has been given the case — the gateway's check before legal reads a case. Zero for a case legal never
   * heard of.
   */
  async handoffsStarted(caseId: string): Promise<{ readonly caseId: string; readonly handoffs: number }> {
    const id = parseInput(CaseIdSchema, caseId, 'caseId');
    const handoffs = await this.dataSource.manager.count(EscalationRow, { where: { caseId: id, requestedBy: Not(IsNull()) } });
    return { caseId: id, handoffs };
  }

  /**
   * Of the handoffs requested in the period: how many, how many refused, and the count, average, median and 90th
   * percentile of the hours from the request to delivery and to acknowledgement, and how many got there within 48
   * hours — as they stand now, narrowed to one requester.
   */
  async handoffTimes(params: HandoffTimesParams): Promise<HandoffTimes> {
    const parsed = parseInput(HandoffTimesParamsSchema, params);
    const figures = (step: Step) => {
      const column = STEP_HOURS[step];
      return `count(${column})::int as ${step}_count, avg(${column}) as ${step}_average,
              percentile_cont(0.5) within group (order by ${column}) as ${step}_median, percentile_cont(0.9) within group (order by ${column}) as ${step}_p90,
              count(*) filter (where ${column} <= ${HANDOFF_DEADLINE_HOURS})::int as ${step}_within`;
    };
    const [row] = (await this.dataSource.manager.query(
      `select count(*)::int as requested, count(*) filter (where status = 'refused')::int as refused, ${figures('delivery')}, ${figures('acknowledgement')}
         from ${this.s}.escalations
        where requested_at >= $1::timestamptz and requested_at < $2::timestamptz and ($3::text is null or requested_by = $3)`,
      [parsed.from, parsed.to, parsed.requestedBy ?? null],
    )) as TimesRecord[];
    if (row === undefined) throw new Error('an aggregate without group by returned no row');
    return {
      from: new Date(parsed.from).toISOString(),
      to: new Date(parsed.to).toISOString(),
      requested: row.requested,
      refused: row.refused,
      delivery: stepFigures(row, 'delivery'),
      acknowledgement: stepFigures(row, 'acknowledgement'),
    };
  }
}

/** The time left at `at` (ms) to the deadline of a handoff still open then: neither acknowledged nor refused by then. */
function timeLeft(row: EscalationRow, at: number): number | null {
  const endedBy = (instant: Date | null) => instant !== null && instant.getTime() <= at;
  if (row.deadlineAt === null || endedBy(row.acknowledgedAt) || endedBy(row.refusedAt)) return null;
  return row.deadlineAt.getTime() - at;
}

function stepFigures(row: TimesRecord, step: Step): HandoffStepFigures {
  return {
    count: row[`${step}_count`],
    averageHours: hours(row[`${step}_average`]),
    medianHours: hours(row[`${step}_median`]),
    p90Hours: hours(row[`${step}_p90`]),
    withinDeadline: row[`${step}_within`],
  };
}

/** Hours to the hundredth. */
function hours(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

function escalationView(row: EscalationRow): EscalationView {
  return {
    caseId: row.caseId,
    handoff: row.handoff,
    status: row.status,
    overdue: row.overdue,
    reasons: row.reasons,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    deadlineAt: iso(row.deadlineAt),
    packageId: row.packageId,
    evidenceFixedAt: iso(row.evidenceFixedAt),
    deliveredAt: iso(row.deliveredAt),
    hoursToDelivery: row.deliveryHours,
    acknowledgedAt: iso(row.acknowledgedAt),
    acknowledgedBy: row.acknowledgedBy,
    hoursToAcknowledgement: row.acknowledgementHours,
    remindersSent: row.remindersSent,
    lastReminderAt: iso(row.lastReminderAt),
    overdueAt: iso(row.overdueAt),
    refusedAt: iso(row.refusedAt),
    refusalHolds: row.refusalHolds,
    litigationStatus: row.litigationStatus,
    litigationOn: row.litigationOn,
    hearingDate: row.hearingDate,
    closedAt: iso(row.closedAt),
  };
}
