import { compareText, csvDocument } from './csv';
import { contactEvents, historyOf, type ReportInput } from './history';
import { checkPeriod, HOUR_MS, inPeriod, utc, type Period } from './period';
import { distribution, roundHours, type Distribution } from './stats';

/** One complaint received in the period, as it stood at the period's end. */
export interface ComplaintRow {
  readonly complaintId: string;
  readonly accountId: string;
  readonly debtorId: string;
  readonly category: string;
  readonly channel: string | null;
  readonly receivedAtUtc: string;
  readonly status: 'open' | 'resolved';
  readonly resolvedAtUtc: string | null;
  readonly upheld: boolean | null;
  /** Resolved − received, hours to the hundredth. */
  readonly handlingHours: number | null;
}

interface Counts {
  readonly received: number;
  readonly open: number;
  readonly resolved: number;
  readonly upheld: number;
}

export interface ComplaintsReport extends Counts {
  readonly period: { readonly from: string; readonly to: string };
  /** Resolved and not upheld. */
  readonly notUpheld: number;
  /** From ComplaintRecorded's `receivedAt` to ComplaintResolved's `resolvedAt`, of those resolved by the period's end. */
  readonly handling: Distribution;
  /** Per category with any complaint, by category. */
  readonly byCategory: readonly ({ readonly category: string } & Counts)[];
  /** By received time, then id. */
  readonly complaints: readonly ComplaintRow[];
  readonly unreadableEvents: number;
}

/**
 * Complaints and their handling: the complaints received in the period (`receivedAt`), open, resolved and upheld **as of
 * the period's end** (a resolution at or after `to` is not yet one), so a report of a past month reads the same later;
 * handling time from `receivedAt` to `resolvedAt` — average, median, 90th percentile (interpolated) and maximum.
 */
export function complaintsReport(input: ReportInput, period: Period): ComplaintsReport {
  const checked = checkPeriod(period);
  const history = historyOf(input);
  const resolutions = new Map<string, { resolvedMs: number; upheld: boolean }>();
  for (const { data } of contactEvents(history, 'ComplaintResolved')) {
    const resolvedMs = Date.parse(data.resolvedAt);
    if (resolvedMs < checked.toMs) resolutions.set(data.complaintId, { resolvedMs, upheld: data.upheld });
  }
  const received = new Map<string, ComplaintRow>();
  for (const { data } of contactEvents(history, 'ComplaintRecorded')) {
    const receivedMs = Date.parse(data.receivedAt);
    if (!inPeriod(receivedMs, checked)) continue;
    const resolution = resolutions.get(data.complaintId);
    received.set(data.complaintId, {
      complaintId: data.complaintId,
      accountId: data.accountId,
      debtorId: data.debtorId,
      category: data.category,
      channel: data.channel ?? null,
      receivedAtUtc: utc(receivedMs),
      status: resolution === undefined ? 'open' : 'resolved',
      resolvedAtUtc: resolution === undefined ? null : utc(resolution.resolvedMs),
      upheld: resolution?.upheld ?? null,
      handlingHours: resolution === undefined ? null : roundHours((resolution.resolvedMs - receivedMs) / HOUR_MS),
    });
  }
  const complaints = [...received.values()].sort((a, b) => compareText(a.receivedAtUtc, b.receivedAtUtc) || compareText(a.complaintId, b.complaintId));
  const count = (rows: readonly ComplaintRow[]): Counts => ({
    received: rows.length,
    open: rows.filter((row) => row.status === 'open').length,
    resolved: rows.filter((row) => row.status === 'resolved').length,
    upheld: rows.filter((row) => row.upheld === true).length,
  });
  const exactHours = complaints.flatMap((row) => (row.resolvedAtUtc === null ? [] : [(Date.parse(row.resolvedAtUtc) - Date.parse(row.receivedAtUtc)) / HOUR_MS]));
  const categories = [...new Set(complaints.map((row) => row.category))].sort(compareText);
  const totals = count(complaints);
  return {
    period: { from: checked.from, to: checked.to },
    ...totals,
    notUpheld: complaints.filter((row) => row.upheld === false).length,
    handling: distribution(exactHours),
    byCategory: categories.map((category) => ({ category, ...count(complaints.filter((row) => row.category === category)) })),
    complaints,
    unreadableEvents: history.unreadable.length,
  };
}

export const COMPLAINTS_CSV_COLUMNS = [
  'section',
  'category',
  'received',
  'open',
  'resolved',
  'upheld',
  'handled',
  'average_hours',
  'median_hours',
  'p90_hours',
  'max_hours',
  'complaint_id',
  'account_id',
  'debtor_id',
  'channel',
  'received_at_utc',
  'status',
  'resolved_at_utc',
  'handling_hours',
] as const;

/** Sections (first column): `total` (counts and the handling-time figures), `category`, then `complaint` (one row each). */
export function complaintsCsv(report: ComplaintsReport): string {
  const h = report.handling;
  const none = [null, null, null, null, null, null, null, null] as const;
  return csvDocument(COMPLAINTS_CSV_COLUMNS, [
    ['total', null, report.received, report.open, report.resolved, report.upheld, h.count, h.averageHours, h.medianHours, h.p90Hours, h.maxHours, ...none],
    ...report.byCategory.map((row) => ['category', row.category, row.received, row.open, row.resolved, row.upheld, null, null, null, null, null, ...none]),
    ...report.complaints.map((c) => [
      'complaint',
      c.category,
      null,
      null,
      null,
      c.upheld === null ? null : c.upheld,
      null,
      null,
      null,
      null,
      null,
      c.complaintId,
      c.accountId,
      c.debtorId,
      c.channel,
      c.receivedAtUtc,
      c.status,
      c.resolvedAtUtc,
      c.handlingHours,
    ]),
  ]);
}
