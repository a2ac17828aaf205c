import { accounts } from '@arrears/contracts';
import { readPolicyFile } from '@arrears/platform';
import { z } from 'zod';
import { DEFAULT_WORKFLOW_POLICY, type WorkflowPolicy } from './case/domain/policy';

export const WORKFLOW_POLICY_ENV = 'ARREARS_WORKFLOW_POLICY';

/** Durations are numbers so a test can set seconds (0.001 hours); at least a second, at most a year. */
const hours = z.number().min(1 / 3_600).max(8_760);
const days = z.number().min(1 / 86_400).max(365);
const rules = z
  .object({
    contact: z.object({ firstAttemptHours: hours, rightPartyContactDays: days }).partial().strict(),
    pressure: z.object({ legalNoticeDays: days, rightPartyContactDays: days }).partial().strict(),
    negotiate: z.object({ commitmentDays: days }).partial().strict(),
  })
  .partial()
  .strict();

/** A policy file: any part of the workflow policy, the rest from the defaults (docs/case-workflow.md, "Policy"). */
const PolicyFileSchema = z
  .object({
    rules,
    /** Replaces the default overrides when given. */
    overrides: z.array(z.object({ tier: accounts.RiskTierSchema.optional(), bucket: accounts.AgingBucketSchema.optional(), rules }).strict()).max(50),
    legal: z.object({ minDaysPastDue: z.number().int().min(0).max(3_650), brokenPromises: z.number().int().min(1).max(50), planDefaults: z.number().int().min(1).max(50) }).partial().strict(),
    stalledAfterMisses: z.number().int().min(1).max(50),
    teamId: z.string().regex(/^[a-z0-9][a-z0-9_]{0,49}$/),
  })
  .partial()
  .strict();

/** The defaults, overridden by the JSON file `ARREARS_WORKFLOW_POLICY` names; a bad file is refused naming the field. */
export function workflowPolicy(env: NodeJS.ProcessEnv = process.env): WorkflowPolicy {
  const file = readPolicyFile(WORKFLOW_POLICY_ENV, PolicyFileSchema, env);
  if (file === undefined) return DEFAULT_WORKFLOW_POLICY;
  const base = DEFAULT_WORKFLOW_POLICY;
  return {
    rules: {
      contact: { ...base.rules.contact, ...file.rules?.contact },
      pressure: { ...base.rules.pressure, ...file.rules?.pressure },
      negotiate: { ...base.rules.negotiate, ...file.rules?.negotiate },
    },
    overrides: file.overrides ?? base.overrides,
    legal: { ...base.legal, ...file.legal },
    stalledAfterMisses: file.stalledAfterMisses ?? base.stalledAfterMisses,
    teamId: file.teamId ?? base.teamId,
  };
}
