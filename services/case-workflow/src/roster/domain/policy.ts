import type { caseWorkflow } from '@arrears/contracts';

/**
 * What a collections department tunes about assignment (docs/assignment.md): how much each factor of a collector's
 * score weighs, and what makes a case hard. The weights are the most points a factor can give; a department that
 * cares more about load than specialty moves points from one to the other.
 */
export interface RosterPolicy {
  readonly weights: ScoreWeights;
  readonly difficulty: DifficultyScale;
  /** How many runners-up a CaseAssigned names (the contract allows at most 5). */
  readonly alternatives: number;
}

export interface ScoreWeights {
  /** Given in full when the case's product is one of the collector's specialties. */
  readonly specialty: number;
  /** Times the share of the collector's capacity still free. */
  readonly spareCapacity: number;
  /** Times the collector's success rate with a Laplace prior, (successes + 1) / (successes + failures + 2). */
  readonly successRate: number;
  /** Times the case's difficulty (0–1) times the collector's skill above or below an even record (−1…1). */
  readonly difficulty: number;
}

/** A case's difficulty is 0–100: the four parts below, each its points times how far the case is towards the ceiling. */
export interface DifficultyScale {
  readonly points: { readonly balance: number; readonly daysPastDue: number; readonly tier: number; readonly brokenPromises: number };
  /** The balance, in minor units of the case's currency, at and beyond which the balance part is full. */
  readonly fullBalance: { readonly default: number; readonly byCurrency: Readonly<Partial<Record<string, number>>> };
  readonly fullDaysPastDue: number;
  readonly fullBrokenPromises: number;
  /** The share of the tier part each risk tier gives. */
  readonly tierShare: Readonly<Record<caseWorkflow.CaseProfile['tier'], number>>;
}

export const DEFAULT_ROSTER_POLICY: RosterPolicy = {
  weights: { specialty: 30, spareCapacity: 25, successRate: 25, difficulty: 20 },
  difficulty: {
    points: { balance: 35, daysPastDue: 30, tier: 20, brokenPromises: 15 },
    // 10,000.00 in a currency with two decimals; a currency without them needs its own ceiling (1,500,000 yen).
    fullBalance: { default: 1_000_000, byCurrency: { JPY: 1_500_000 } },
    fullDaysPastDue: 180,
    fullBrokenPromises: 3,
    tierShare: { low: 0, medium: 0.5, high: 1 },
  },
  alternatives: 5,
};
