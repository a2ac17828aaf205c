import type { accounts, Role } from '@arrears/contracts';

type AgingBucket = accounts.AgingBucket;
type Product = accounts.Product;

/**
 * Everything a collections department tunes about accounts, in one place and in configuration (never in code):
 * who may waive how much, how aging is bucketed, how risk is scored. `DEFAULT_ACCOUNTS_POLICY` is the documented
 * default (docs/accounts.md).
 */
export interface AccountsPolicy {
  /** Payments go to these parts in this order unless the placement names another. */
  readonly allocationOrder: readonly accounts.BalancePart[];
  /** The most one waiver may take off, per acting role, in minor units; a role not listed may not waive. */
  readonly waiverLimits: Readonly<Partial<Record<Role, number>>>;
  /** Roles that may freeze or unfreeze interest. */
  readonly freezeRoles: readonly Role[];
  readonly risk: RiskModel;
  /** The cumulative recovery rate aimed at (collected ÷ placed, 0–1), drawn against the recovery trend. */
  readonly recoveryTarget: number;
}

/**
 * The risk score is a sum of points, capped to 0–100; the tier is where the score falls. Each factor is shown on
 * RiskTierChanged, so a collector can see why an account is high risk.
 */
export interface RiskModel {
  /** Points per full `balanceStep` of total balance (minor units), up to `balanceMaxPoints`. */
  readonly balanceStep: number;
  readonly balancePointsPerStep: number;
  readonly balanceMaxPoints: number;
  /** Points by aging bucket. */
  readonly agingPoints: Readonly<Record<AgingBucket, number>>;
  readonly productPoints: Readonly<Partial<Record<Product, number>>>;
  /** Points per broken promise, up to `brokenPromiseMaxPoints`. */
  readonly brokenPromisePoints: number;
  readonly brokenPromiseMaxPoints: number;
  /** Points taken off when a payment came in within `recentPaymentDays` days. */
  readonly recentPaymentCredit: number;
  readonly recentPaymentDays: number;
  /** A score at or above `medium` is medium, at or above `high` is high. */
  readonly tiers: { readonly medium: number; readonly high: number };
}

export const DEFAULT_ACCOUNTS_POLICY: AccountsPolicy = {
  allocationOrder: ['fees', 'interest', 'principal'],
  waiverLimits: { collector: 5_000, supervisor: 50_000, admin: Number.MAX_SAFE_INTEGER },
  freezeRoles: ['supervisor', 'admin'],
  risk: {
    balanceStep: 100_000,
    balancePointsPerStep: 5,
    balanceMaxPoints: 30,
    agingPoints: { current: 0, '1-30': 10, '31-90': 25, '90+': 40 },
    productPoints: { 'credit-card': 10, overdraft: 10, 'consumer-loan': 5, 'business-loan': 5, telecom: 5, utility: 5 },
    brokenPromisePoints: 10,
    brokenPromiseMaxPoints: 30,
    recentPaymentCredit: 15,
    recentPaymentDays: 30,
    tiers: { medium: 35, high: 65 },
  },
  recoveryTarget: 0.15,
};
