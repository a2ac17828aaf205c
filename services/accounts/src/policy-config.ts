import { accounts, ArrearsError, ErrorCode, ROLES } from '@arrears/contracts';
import { parsePolicy, readPolicyFile } from '@arrears/platform';
import { z } from 'zod';
import { DEFAULT_ACCOUNTS_POLICY, type AccountsPolicy } from './account/domain/policy';

const points = z.number().int().min(-100).max(100);
const minor = z.number().int().min(0);

/** A policy file: any part of the policy, the rest from the defaults (docs/accounts.md, "Policy"). */
const PolicyFileSchema = z
  .object({
    allocationOrder: accounts.AllocationOrderSchema.optional(),
    waiverLimits: z.partialRecord(z.enum(ROLES), minor).optional(),
    freezeRoles: z.array(z.enum(ROLES)).optional(),
    risk: z
      .object({
        balanceStep: z.number().int().min(1),
        balancePointsPerStep: points,
        balanceMaxPoints: points,
        agingPoints: z.object({ current: points, '1-30': points, '31-90': points, '90+': points }).strict(),
        productPoints: z.partialRecord(accounts.ProductSchema, points),
        brokenPromisePoints: points,
        brokenPromiseMaxPoints: points,
        recentPaymentCredit: points,
        recentPaymentDays: z.number().int().min(0),
        tiers: z
          .object({ medium: z.number().int().min(0).max(100), high: z.number().int().min(0).max(100) })
          .strict()
          .refine((tiers) => tiers.medium <= tiers.high, 'medium must not be above high'),
      })
      .partial()
      .strict()
      .optional(),
    recoveryTarget: z.number().min(0).max(1).optional(),
  })
  .strict();

/** The defaults, overridden by the JSON file `ARREARS_ACCOUNTS_POLICY` names; a bad file is refused naming the field. */
export function accountsPolicy(env: NodeJS.ProcessEnv = process.env): AccountsPolicy {
  const file = readPolicyFile('ARREARS_ACCOUNTS_POLICY', PolicyFileSchema, env);
  return file === undefined ? DEFAULT_ACCOUNTS_POLICY : withDefaults(file);
}

export function mergePolicy(json: unknown): AccountsPolicy {
  return withDefaults(parsePolicy(json, PolicyFileSchema));
}

function withDefaults(file: z.output<typeof PolicyFileSchema>): AccountsPolicy {
  const risk = { ...DEFAULT_ACCOUNTS_POLICY.risk, ...file.risk };
  if (risk.tiers.medium > risk.tiers.high) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'policy.risk.tiers: medium must not be above high', { field: 'policy.risk.tiers' });
  return {
    allocationOrder: file.allocationOrder ?? DEFAULT_ACCOUNTS_POLICY.allocationOrder,
    waiverLimits: file.waiverLimits ?? DEFAULT_ACCOUNTS_POLICY.waiverLimits,
    freezeRoles: file.freezeRoles ?? DEFAULT_ACCOUNTS_POLICY.freezeRoles,
    risk,
    recoveryTarget: file.recoveryTarget ?? DEFAULT_ACCOUNTS_POLICY.recoveryTarget,
  };
}
