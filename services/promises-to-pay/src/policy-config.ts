import { readPolicyFile } from '@arrears/platform';
import { z } from 'zod';
import { DEFAULT_PROMISE_POLICY, type PromisePolicy } from './promise/domain/policy';

export const PROMISES_POLICY_ENV = 'ARREARS_PROMISES_POLICY';

/**
 * A policy file: any of the three numbers, the rest from the defaults (docs/promises-to-pay.md, "Policy"). The bounds
 * keep a typo from becoming a rule: `graceDays` at most 60 because PromiseRecorded's published schema stops there.
 */
const PolicyFileSchema = z
  .object({
    maxOpenPerCase: z.number().int().min(1).max(10),
    graceDays: z.number().int().min(0).max(60),
    maxDaysAhead: z.number().int().min(1).max(365),
  })
  .partial()
  .strict();

/** The defaults, overridden by the JSON file `ARREARS_PROMISES_POLICY` names; a bad file is refused naming the field. */
export function promisesPolicy(env: NodeJS.ProcessEnv = process.env): PromisePolicy {
  const file = readPolicyFile(PROMISES_POLICY_ENV, PolicyFileSchema, env);
  return file === undefined ? DEFAULT_PROMISE_POLICY : { ...DEFAULT_PROMISE_POLICY, ...file };
}
