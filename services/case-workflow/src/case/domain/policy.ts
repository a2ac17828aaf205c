import type { accounts } from '@arrears/contracts';

/** How long each stage's checklist items may take (docs/case-workflow.md, "Stages"). */
export interface StageRules {
  readonly contact: { readonly firstAttemptHours: number; readonly rightPartyContactDays: number };
  readonly pressure: { readonly legalNoticeDays: number; readonly rightPartyContactDays: number };
  readonly negotiate: { readonly commitmentDays: number };
}

export type StageRulesOverride = { readonly [Stage in keyof StageRules]?: Partial<StageRules[Stage]> };

/**
 * Everything a collections department tunes about the workflow, in configuration (`ARREARS_WORKFLOW_POLICY`): the
 * stage rules, with overrides per risk tier and aging bucket (every matching override applies, in order), the
 * legal-escalation triggers, and when a case counts as stalled.
 */
export interface WorkflowPolicy {
  readonly rules: StageRules;
  readonly overrides: readonly { readonly tier?: accounts.RiskTier; readonly bucket?: accounts.AgingBucket; readonly rules: StageRulesOverride }[];
  readonly legal: {
    /** Days past due from which broken promises count towards escalation. */
    readonly minDaysPastDue: number;
    /** Broken promises that, at or past `minDaysPastDue`, call for escalation. */
    readonly brokenPromises: number;
    /** Plans defaulted that call for escalation. */
    readonly planDefaults: number;
  };
  /** Deadlines missed in one stage visit after which the case is reassigned as stalled. */
  readonly stalledAfterMisses: number;
  /** The roster the case saga assigns cases in. */
  readonly teamId: string;
}

export const DEFAULT_WORKFLOW_POLICY: WorkflowPolicy = {
  rules: {
    contact: { firstAttemptHours: 24, rightPartyContactDays: 14 },
    pressure: { legalNoticeDays: 5, rightPartyContactDays: 10 },
    negotiate: { commitmentDays: 7 },
  },
  overrides: [
    { tier: 'high', rules: { contact: { rightPartyContactDays: 7 }, pressure: { legalNoticeDays: 3 } } },
    { bucket: '90+', rules: { contact: { firstAttemptHours: 8 }, negotiate: { commitmentDays: 5 } } },
  ],
  legal: { minDaysPastDue: 90, brokenPromises: 2, planDefaults: 2 },
  stalledAfterMisses: 2,
  teamId: 'main',
};

/** The rules for a case of this tier and bucket: the base, then every matching override in order. */
export function rulesFor(policy: WorkflowPolicy, tier: accounts.RiskTier, bucket: accounts.AgingBucket): StageRules {
  return policy.overrides
    .filter((override) => (override.tier === undefined || override.tier === tier) && (override.bucket === undefined || override.bucket === bucket))
    .reduce<StageRules>(
      (rules, { rules: change }) => ({
        contact: { ...rules.contact, ...change.contact },
        pressure: { ...rules.pressure, ...change.pressure },
        negotiate: { ...rules.negotiate, ...change.negotiate },
      }),
      policy.rules,
    );
}
