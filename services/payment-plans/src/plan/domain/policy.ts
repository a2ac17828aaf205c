import type { Role } from '@arrears/contracts';

/**
 * What a collections department tunes about plans, in configuration (`ARREARS_PLANS_POLICY`, docs/payment-plans.md):
 * how long an instalment may run late, how many missed instalments end a plan, how long a plan may run, and who may
 * grant which option. A plan keeps the grace and default rule it was proposed under.
 */
export interface PlanPolicy {
  /** Days after an instalment's due date before it counts as missed. */
  readonly graceDays: number;
  /** Missed instalments, not since paid, at which a plan defaults. */
  readonly missedToDefault: number;
  /** Instalments a plan may have without a term extension. */
  readonly standardInstalments: number;
  /** Instalments no plan may exceed, extension or not. */
  readonly maxInstalments: number;
  /** How far ahead the first instalment may fall, in days. */
  readonly maxDaysToFirstInstalment: number;
  readonly approvals: ApprovalLimits;
}

/** Each option's limit per acting role; a role not listed may not grant the option (it waits for someone who may). */
export interface ApprovalLimits {
  /** The most fees one plan may waive, in minor units. */
  readonly feeWaiver: Readonly<Partial<Record<Role, number>>>;
  /** Roles that may freeze interest for a plan's life. */
  readonly interestFreeze: readonly Role[];
  /** The most instalments a plan with a term extension may have. */
  readonly termExtension: Readonly<Partial<Record<Role, number>>>;
  /** The largest settlement discount, in basis points of what is owed (1,000 = 10 %). */
  readonly settlementBasisPoints: Readonly<Partial<Record<Role, number>>>;
}

export const DEFAULT_PLAN_POLICY: PlanPolicy = {
  graceDays: 5,
  missedToDefault: 2,
  standardInstalments: 12,
  maxInstalments: 60,
  maxDaysToFirstInstalment: 30,
  approvals: {
    feeWaiver: { collector: 10_000, supervisor: 100_000, admin: Number.MAX_SAFE_INTEGER },
    interestFreeze: ['supervisor', 'admin'],
    termExtension: { collector: 18, supervisor: 36, admin: 60 },
    settlementBasisPoints: { collector: 1_000, supervisor: 3_000, admin: 6_000 },
  },
};
