import { ArrearsError, ErrorCode, ROLES } from '@arrears/contracts';
import { readPolicyFile } from '@arrears/platform';
import { z } from 'zod';
import { DEFAULT_PLAN_POLICY, type PlanPolicy } from './plan/domain/policy';

export const PLANS_POLICY_ENV = 'ARREARS_PLANS_POLICY';

const role = z.enum(ROLES);
const instalments = z.number().int().min(1).max(120);

/**
 * A policy file: any part of the plan policy, the rest from the defaults (docs/payment-plans.md, "Policy"). The
 * bounds are those of the published events (grace at most 60 days, default after 1 to 12 missed, 120 instalments).
 */
const PolicyFileSchema = z
  .object({
    graceDays: z.number().int().min(0).max(60),
    missedToDefault: z.number().int().min(1).max(12),
    standardInstalments: instalments,
    maxInstalments: instalments,
    maxDaysToFirstInstalment: z.number().int().min(0).max(365),
    approvals: z
      .object({
        feeWaiver: z.partialRecord(role, z.number().int().min(0)),
        interestFreeze: z.array(role),
        termExtension: z.partialRecord(role, instalments),
        settlementBasisPoints: z.partialRecord(role, z.number().int().min(0).max(10_000)),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/** The defaults, overridden by the JSON file `ARREARS_PLANS_POLICY` names; a bad file is refused naming the field. */
export function plansPolicy(env: NodeJS.ProcessEnv = process.env): PlanPolicy {
  const file = readPolicyFile(PLANS_POLICY_ENV, PolicyFileSchema, env);
  if (file === undefined) return DEFAULT_PLAN_POLICY;
  const policy: PlanPolicy = { ...DEFAULT_PLAN_POLICY, ...file, approvals: { ...DEFAULT_PLAN_POLICY.approvals, ...file.approvals } };
  if (policy.standardInstalments > policy.maxInstalments) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${PLANS_POLICY_ENV}: standardInstalments (${policy.standardInstalments}) must not be above maxInstalments (${policy.maxInstalments})`, {
      field: 'policy.standardInstalments',
    });
  }
  return policy;
}
