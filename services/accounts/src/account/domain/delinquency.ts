import type { accounts } from '@arrears/contracts';
import type { RiskModel } from './policy';

const DAY_MS = 86_400_000;

/** The calendar day of an instant, in UTC (`2026-11-29`). */
export function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days past due on `asOf`: 0 on or before the due date. */
export function daysPastDue(dueDate: string, asOf: string): number {
  return Math.max(0, daysBetween(dueDate, asOf));
}

/** 1–30, 31–90, 90+ days past due; `current` when nothing is overdue yet. */
export function agingBucket(days: number): accounts.AgingBucket {
  if (days <= 0) return 'current';
  if (days <= 30) return '1-30';
  if (days <= 90) return '31-90';
  return '90+';
}

export interface RiskInputs {
  readonly totalBalance: number;
  readonly bucket: accounts.AgingBucket;
  readonly product: accounts.Product;
  readonly brokenPromises: number;
  /** Days since the last payment, undefined when none was ever made. */
  readonly daysSinceLastPayment: number | undefined;
}

export interface RiskAssessment {
  readonly score: number;
  readonly tier: accounts.RiskTier;
  readonly factors: Readonly<Record<string, number>>;
}

/** The documented score (docs/accounts.md): points per factor, summed and clamped to 0–100. */
export function assessRisk(inputs: RiskInputs, model: RiskModel): RiskAssessment {
  const factors = {
    balance: Math.min(model.balanceMaxPoints, Math.floor(inputs.totalBalance / model.balanceStep) * model.balancePointsPerStep),
    daysPastDue: model.agingPoints[inputs.bucket],
    product: model.productPoints[inputs.product] ?? 0,
    brokenPromises: Math.min(model.brokenPromiseMaxPoints, inputs.brokenPromises * model.brokenPromisePoints),
    recentPayment: inputs.daysSinceLastPayment !== undefined && inputs.daysSinceLastPayment <= model.recentPaymentDays ? -model.recentPaymentCredit : 0,
  };
  const score = Math.max(0, Math.min(100, Object.values(factors).reduce((sum, points) => sum + points, 0)));
  const tier = score >= model.tiers.high ? 'high' : score >= model.tiers.medium ? 'medium' : 'low';
  return { score, tier, factors };
}
