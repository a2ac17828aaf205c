import { z } from 'zod';
import { defineCommand, type CommandOf } from '../catalog';
import { CalendarDateSchema, PositiveMoneySchema } from '../money';
import { CommitmentSchema, FrequencySchema, MAX_INSTALMENTS } from './plan';

const service = 'payment-plans' as const;
const ids = { planId: z.uuid(), accountId: z.uuid() };

export const ProposePlan = defineCommand({
  service,
  type: 'ProposePlan',
  description:
    "Propose a plan on the account's balance: instalment count, frequency and first due date, with any options (waive the fees, freeze interest, extend the term beyond the standard one, settle for less than the balance). Options beyond the proposer's approval limits wait for ApprovePlan.",
  schema: z
    .object({
      ...ids,
      instalments: z.number().int().min(1).max(MAX_INSTALMENTS),
      frequency: FrequencySchema,
      firstDueDate: CalendarDateSchema,
      options: z
        .object({
          feeWaiver: z.boolean().optional(),
          interestFreeze: z.boolean().optional(),
          termExtension: z.boolean().optional(),
          /** Settle for this amount instead of the balance. */
          settlement: z.object({ amount: PositiveMoneySchema }).strict().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
});

export const ApprovePlan = defineCommand({
  service,
  type: 'ApprovePlan',
  description: "Approve a proposed plan's options beyond its proposer's limits: by a role whose limits cover them, and not by the proposer.",
  schema: z.object({ ...ids, note: z.string().trim().max(500).optional() }).strict(),
});

export const AcceptPlan = defineCommand({
  service,
  type: 'AcceptPlan',
  description: 'The debtor accepted the plan in writing: the signed commitment is referenced by document id and SHA-256. Instalments fall due from then on.',
  schema: z.object({ ...ids, commitment: CommitmentSchema }).strict(),
});

export const CancelPlan = defineCommand({
  service,
  type: 'CancelPlan',
  description: "Withdraw a proposed or running plan, with the reason (declined, replaced, the debtor's circumstances changed).",
  schema: z.object({ ...ids, reason: z.string().trim().min(1).max(500) }).strict(),
});

export const PLAN_COMMANDS = [ProposePlan, ApprovePlan, AcceptPlan, CancelPlan] as const;
export type PlanCommand = CommandOf<(typeof PLAN_COMMANDS)[number]>;
