import { ArrearsError, ErrorCode, paymentPlans, type Money } from '@arrears/contracts';

type Frequency = paymentPlans.Frequency;
type Instalment = paymentPlans.Instalment;
const { MAX_INSTALMENTS } = paymentPlans;

export interface ScheduleTerms {
  /** What the plan pays in all, in minor units of its currency. */
  readonly total: Money;
  readonly instalments: number;
  readonly frequency: Frequency;
  /** The first instalment's due date (`2026-12-15`). */
  readonly firstDueDate: string;
}

const DAY_MS = 86_400_000;

/**
 * The instalments of a plan: the total split evenly in whole minor units, the remainder on the last, so they always
 * sum to the total and none is zero or negative. Monthly dates keep the first date's day of the month, or the
 * month's last day when it is shorter (31 January → 28 February → 31 March).
 */
export function instalmentSchedule(terms: ScheduleTerms): Instalment[] {
  const { total, instalments, frequency, firstDueDate } = terms;
  if (!Number.isSafeInteger(instalments) || instalments < 1 || instalments > MAX_INSTALMENTS) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A plan has from 1 to ${MAX_INSTALMENTS} instalments, not ${instalments}`, { field: 'data.instalments' });
  }
  if (!Number.isSafeInteger(total.minor) || total.minor < instalments) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${total.minor} minor units cannot be split into ${instalments} instalments of at least one unit each`, { field: 'data.total.minor' });
  }
  // A date that rolls over (30 February) is not a date.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(firstDueDate) || Number.isNaN(Date.parse(`${firstDueDate}T00:00:00Z`)) || iso(Date.parse(`${firstDueDate}T00:00:00Z`)) !== firstDueDate) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `firstDueDate must be a calendar date, not ${JSON.stringify(firstDueDate)}`, { field: 'data.firstDueDate' });
  }
  const base = Math.floor(total.minor / instalments);
  const last = total.minor - base * (instalments - 1);
  return Array.from({ length: instalments }, (_, index) => ({
    number: index + 1,
    dueDate: dueDate(firstDueDate, frequency, index),
    amount: { minor: index === instalments - 1 ? last : base, currency: total.currency },
  }));
}

function dueDate(first: string, frequency: Frequency, index: number): string {
  const start = Date.parse(`${first}T00:00:00Z`);
  if (frequency === 'weekly') return iso(start + index * 7 * DAY_MS);
  if (frequency === 'fortnightly') return iso(start + index * 14 * DAY_MS);
  const date = new Date(start);
  const day = date.getUTCDate();
  const month = date.getUTCMonth() + index;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), month + 1, 0)).getUTCDate();
  return iso(Date.UTC(date.getUTCFullYear(), month, Math.min(day, lastDay)));
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
