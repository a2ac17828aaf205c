import { checkConfig, DEFAULT_REPORT_CONFIG, type ReportConfig } from './config';
import { compareText, csvDocument } from './csv';
import { historyOf, type ReportInput } from './history';
import { checkPeriod, HOUR_MS, inPeriod, utc, type Period } from './period';
import { distribution, roundHours, type Distribution } from './stats';

export type HandoffStatus = 'refused' | 'started' | 'evidence-fixed' | 'delivered' | 'acknowledged';

/** One handoff of a case to legal, as it stood at the period's end. */
export interface HandoffRow {
  readonly caseId: string;
  readonly accountId: string | null;
  /** A case may go to legal more than once: each handoff is numbered. */
  readonly handoff: number;
  readonly status: HandoffStatus;
  readonly requestedBy: string | null;
  readonly requestedAtUtc: string;
  readonly deliveredAtUtc: string | null;
  /** Request → delivery, hours to the hundredth. */
  readonly deliveryHours: number | null;
  readonly acknowledgedAtUtc: string | null;
  readonly acknowledgedBy: string | null;
  /** Request → acknowledgement, hours to the hundredth. */
  readonly acknowledgementHours: number | null;
  /** Not acknowledged within the deadline: acknowledged late, or still unacknowledged past it, or the saga said so. */
  readonly overdue: boolean;
  readonly overdueBecause: 'acknowledged-late' | 'unacknowledged' | 'recorded-overdue' | null;
  /** Whether the saga recorded LegalHandoffOverdue. */
  readonly overdueRecorded: boolean;
  readonly refusedReason: string | null;
  readonly litigationStatus: string | null;
}

export interface StepFigures extends Distribution {
  /** Within the deadline (48 hours) of the request, the deadline itself included. */
  readonly withinDeadline: number;
}

export interface LegalHandoffsReport {
  readonly period: { readonly from: string; readonly to: string };
  readonly deadlineHours: number;
  /** Handoffs requested in the period, refused ones included. */
  readonly requested: number;
  readonly refused: number;
  readonly delivery: StepFigures;
  readonly acknowledgement: StepFigures;
  readonly overdue: number;
  /** By request time, then case and handoff. */
  readonly handoffs: readonly HandoffRow[];
  readonly unreadableEvents: number;
}

interface Draft {
  caseId: string;
  handoff: number;
  accountId: string | null;
  requestedBy: string | null;
  requestedMs: number;
  deliveredMs: number | null;
  acknowledgedMs: number | null;
  acknowledgedBy: string | null;
  evidenceFixed: boolean;
  refusedReason: string | null;
  overdueRecorded: boolean;
  litigationStatus: string | null;
}

/**
 * Legal handoff times: each handoff requested in the period (HandoffStarted's `requestedAt`; a request refused outright
 * has no HandoffStarted, and counts at its HandoffRefused), followed as of the period's end (events that occurred
 * before `to`): when the package was delivered and acknowledged, the hours from the request, computed from the
 * instants (the hours the events carry are not trusted), how many within the deadline, and which are overdue.
 */
export function legalHandoffsReport(input: ReportInput, period: Period, config: ReportConfig = DEFAULT_REPORT_CONFIG): LegalHandoffsReport {
  const checked = checkPeriod(period);
  checkConfig(config);
  const history = historyOf(input);
  const deadlineMs = config.legalHandoffHours * HOUR_MS;
  const drafts = new Map<string, Draft>();
  for (const item of history.events) {
    if (item.service !== 'legal-escalation') continue;
    const occurredMs = Date.parse(item.envelope.occurredAt);
    if (occurredMs >= checked.toMs) continue;
    const { event } = item;
    if (!('handoff' in event.data)) continue;
    const key = `${event.data.caseId}\u0000${event.data.handoff}`;
    const draft = drafts.get(key);
    switch (event.type) {
      case 'HandoffStarted':
        drafts.set(key, {
          caseId: event.data.caseId,
          handoff: event.data.handoff,
          accountId: event.data.accountId,
          requestedBy: event.data.requestedBy,
          requestedMs: Date.parse(event.data.requestedAt),
          deliveredMs: null,
          acknowledgedMs: null,
          acknowledgedBy: null,
          evidenceFixed: false,
          refusedReason: null,
          overdueRecorded: false,
          litigationStatus: null,
        });
        break;
      case 'HandoffRefused':
        if (draft !== undefined) draft.refusedReason = event.data.reason;
        else
          drafts.set(key, {
            caseId: event.data.caseId,
            handoff: event.data.handoff,
            accountId: null,
            requestedBy: null,
            requestedMs: occurredMs,
            deliveredMs: null,
            acknowledgedMs: null,
            acknowledgedBy: null,
            evidenceFixed: false,
            refusedReason: event.data.reason,
            overdueRecorded: false,
            litigationStatus: null,
          });
        break;
      case 'EvidenceFixed':
        if (draft !== undefined) draft.evidenceFixed = true;
        break;
      case 'LegalPackageDelivered':
        if (draft !== undefined && draft.deliveredMs === null) draft.deliveredMs = occurredMs;
        break;
      case 'HandoffAcknowledged':
        if (draft !== undefined && draft.acknowledgedMs === null) [draft.acknowledgedMs, draft.acknowledgedBy] = [occurredMs, event.data.acknowledgedBy];
        break;
      case 'LegalHandoffOverdue':
        if (draft !== undefined) draft.overdueRecorded = true;
        break;
      case 'LitigationStatusReported':
        if (draft !== undefined) draft.litigationStatus = event.data.status;
        break;
      default:
        break;
    }
  }
  const handoffs = [...drafts.values()]
    .filter((draft) => inPeriod(draft.requestedMs, checked))
    .sort((a, b) => a.requestedMs - b.requestedMs || compareText(a.caseId, b.caseId) || a.handoff - b.handoff)
    .map((draft) => row(draft, deadlineMs, checked.toMs));
  const exact = (at: (draft: HandoffRow) => string | null) =>
    handoffs.flatMap((h) => {
      const end = at(h);
      return end === null ? [] : [(Date.parse(end) - Date.parse(h.requestedAtUtc)) / HOUR_MS];
    });
  const figures = (hours: number[]): StepFigures => ({ ...distribution(hours), withinDeadline: hours.filter((value) => value <= config.legalHandoffHours).length });
  return {
    period: { from: checked.from, to: checked.to },
    deadlineHours: config.legalHandoffHours,
    requested: handoffs.length,
    refused: handoffs.filter((h) => h.status === 'refused').length,
    delivery: figures(exact((h) => h.deliveredAtUtc)),
    acknowledgement: figures(exact((h) => h.acknowledgedAtUtc)),
    overdue: handoffs.filter((h) => h.overdue).length,
    handoffs,
    unreadableEvents: history.unreadable.length,
  };
}

function row(draft: Draft, deadlineMs: number, asOfMs: number): HandoffRow {
  const status: HandoffStatus =
    draft.refusedReason !== null ? 'refused' : draft.acknowledgedMs !== null ? 'acknowledged' : draft.deliveredMs !== null ? 'delivered' : draft.evidenceFixed ? 'evidence-fixed' : 'started';
  const deadline = draft.requestedMs + deadlineMs;
  const overdueBecause =
    status === 'refused'
      ? null
      : draft.acknowledgedMs !== null
        ? draft.acknowledgedMs > deadline
          ? 'acknowledged-late'
          : null
        : deadline < asOfMs
          ? 'unacknowledged'
          : null;
  const because = overdueBecause ?? (draft.overdueRecorded && draft.acknowledgedMs === null && status !== 'refused' ? 'recorded-overdue' : null);
  const hours = (end: number | null) => (end === null ? null : roundHours((end - draft.requestedMs) / HOUR_MS));
  return {
    caseId: draft.caseId,
    accountId: draft.accountId,
    handoff: draft.handoff,
    status,
    requestedBy: draft.requestedBy,
    requestedAtUtc: utc(draft.requestedMs),
    deliveredAtUtc: draft.deliveredMs === null ? null : utc(draft.deliveredMs),
    deliveryHours: hours(draft.deliveredMs),
    acknowledgedAtUtc: draft.acknowledgedMs === null ? null : utc(draft.acknowledgedMs),
    acknowledgedBy: draft.acknowledgedBy,
    acknowledgementHours: hours(draft.acknowledgedMs),
    overdue: because !== null,
    overdueBecause: because,
    overdueRecorded: draft.overdueRecorded,
    refusedReason: draft.refusedReason,
    litigationStatus: draft.litigationStatus,
  };
}

export const LEGAL_HANDOFFS_CSV_COLUMNS = [
  'section',
  'requested',
  'refused',
  'delivered',
  'delivered_within_deadline',
  'delivery_average_hours',
  'delivery_median_hours',
  'delivery_p90_hours',
  'acknowledged',
  'acknowledged_within_deadline',
  'acknowledgement_average_hours',
  'acknowledgement_median_hours',
  'acknowledgement_p90_hours',
  'overdue',
  'case_id',
  'account_id',
  'handoff',
  'status',
  'requested_by',
  'requested_at_utc',
  'delivered_at_utc',
  'delivery_hours',
  'acknowledged_at_utc',
  'acknowledged_by',
  'acknowledgement_hours',
  'overdue_because',
  'overdue_recorded',
  'refused_reason',
  'litigation_status',
] as const;

/** Sections (first column): `total` (the counts and figures; `overdue` a count), then `handoff` (one row each; `overdue` yes or no). */
export function legalHandoffsCsv(report: LegalHandoffsReport): string {
  const d = report.delivery;
  const a = report.acknowledgement;
  const blank = Array.from({ length: 15 }, () => null);
  return csvDocument(LEGAL_HANDOFFS_CSV_COLUMNS, [
    ['total', report.requested, report.refused, d.count, d.withinDeadline, d.averageHours, d.medianHours, d.p90Hours, a.count, a.withinDeadline, a.averageHours, a.medianHours, a.p90Hours, report.overdue, ...blank],
    ...report.handoffs.map((h) => [
      'handoff',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      h.overdue,
      h.caseId,
      h.accountId,
      h.handoff,
      h.status,
      h.requestedBy,
      h.requestedAtUtc,
      h.deliveredAtUtc,
      h.deliveryHours,
      h.acknowledgedAtUtc,
      h.acknowledgedBy,
      h.acknowledgementHours,
      h.overdueBecause,
      h.overdueRecorded,
      h.refusedReason,
      h.litigationStatus,
    ]),
  ]);
}
