import { ArrearsError, ErrorCode, InstantSchema } from '@arrears/contracts';

/**
 * The period a report covers: `from` included, `to` excluded, both ISO-8601 instants with an offset. Half-open, so
 * consecutive months (`2026-04-01T00:00Z` – `2026-05-01T00:00Z`, then May) never count an event twice.
 */
export interface Period {
  readonly from: string;
  readonly to: string;
}

/** A period checked and read: the bounds as UTC instants (`…Z`, milliseconds) and as epoch milliseconds. */
export interface CheckedPeriod {
  readonly from: string;
  readonly to: string;
  readonly fromMs: number;
  readonly toMs: number;
}

function instantMs(value: unknown, field: string): number {
  if (typeof value !== 'string' || !InstantSchema.safeParse(value).success) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} must be an ISO-8601 instant with an offset (2026-04-01T00:00:00Z), not ${JSON.stringify(value)}`, { field });
  }
  return Date.parse(value);
}

/** VALIDATION_FAILED naming `period.from` or `period.to` when a bound is no instant, or `period.to` when it is not after `from`. */
export function checkPeriod(period: Period): CheckedPeriod {
  const fromMs = instantMs(period?.from, 'period.from');
  const toMs = instantMs(period?.to, 'period.to');
  if (toMs <= fromMs) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `period.to (${period.to}) must be after period.from (${period.from}): the period includes from and excludes to`, { field: 'period.to' });
  }
  return { from: utc(fromMs), to: utc(toMs), fromMs, toMs };
}

export function inPeriod(ms: number, period: CheckedPeriod): boolean {
  return ms >= period.fromMs && ms < period.toMs;
}

/** An instant as UTC with milliseconds: `2026-03-09T02:15:00.000Z`. */
export function utc(ms: number): string {
  return new Date(ms).toISOString();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
