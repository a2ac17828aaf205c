import { z } from 'zod';
import { defineEvent, type EventOf } from '../catalog';
import { CalendarDateSchema, MoneySchema, PositiveMoneySchema } from '../money';
import { CommitmentSchema, FrequencySchema, InstalmentSchema, PlanOptionSchema, PlanOutcomeSchema } from './plan';

const service = 'payment-plans' as const;
const ids = { planId: z.uuid(), accountId: z.uuid() };
const InstantSchema = z.iso.datetime({ offset: true });
const operator = z.string().min(1).max(200);

/**
 * A case's plans live in one stream, `plan-<accountId>` (the case id): "one plan at a time" is a rule of one
 * aggregate, and a payment is matched against the running plan's instalments in one decision.
 */
export const PlanProposed = defineEvent({
  service,
  type: 'PlanProposed',
  version: 1,
  description:
    'A plan was proposed on the balance at that moment: the total it pays (the balance, less any fee waiver, or the settlement amount), its schedule, its options, and which options still need approval.',
  schema: z
    .object({
      ...ids,
      /** The account's whole balance when the plan was proposed. */
      balance: PositiveMoneySchema,
      /** What the plan pays in all: the schedule sums to it. */
      total: PositiveMoneySchema,
      outcome: PlanOutcomeSchema,
      frequency: FrequencySchema,
      schedule: z.array(InstalmentSchema).min(1),
      options: z
        .object({
          /** The fees waived if the plan completes. */
          feeWaiver: z.object({ waived: PositiveMoneySchema }).strict().optional(),
          interestFreeze: z.boolean(),
          termExtension: z.boolean(),
          /** The discount off the balance (after any fee waiver), and in basis points of the balance. */
          settlement: z.object({ discount: PositiveMoneySchema, discountBasisPoints: z.number().int().min(1).max(10_000) }).strict().optional(),
        })
        .strict(),
      /** Options beyond the proposer's approval limits, each with why; empty when the proposer's role covers them all. */
      approvalsNeeded: z.array(z.object({ option: PlanOptionSchema, reason: z.string().min(1).max(500) }).strict()),
      /** Days after an instalment's due date before it counts as missed. */
      graceDays: z.number().int().min(0).max(60),
      /** Missed instalments, not since paid, at which the plan defaults. */
      missedToDefault: z.number().int().min(1).max(12),
      proposedBy: operator,
    })
    .strict(),
});

export const PlanApproved = defineEvent({
  service,
  type: 'PlanApproved',
  version: 1,
  description: "A supervisor (or a role whose limits cover them) approved the proposal's options beyond its proposer's limits.",
  schema: z.object({ ...ids, options: z.array(PlanOptionSchema).min(1), approvedBy: operator, note: z.string().max(500).optional() }).strict(),
});

export const PlanAccepted = defineEvent({
  service,
  type: 'PlanAccepted',
  version: 1,
  description:
    'The debtor accepted the plan in writing (the commitment by document id and SHA-256); the plan runs from this day. Carries the agreed schedule, each instalment with the moment it counts as missed.',
  schema: z
    .object({
      ...ids,
      commitment: CommitmentSchema,
      acceptedOn: CalendarDateSchema,
      total: PositiveMoneySchema,
      outcome: PlanOutcomeSchema,
      schedule: z.array(InstalmentSchema.extend({ missesAt: InstantSchema }).strict()).min(1),
      acceptedVia: operator,
    })
    .strict(),
});

const applied = {
  ...ids,
  number: z.number().int().min(1),
  dueDate: CalendarDateSchema,
  paymentReference: z.string().min(1).max(100),
  receivedOn: CalendarDateSchema,
  /** What of this payment went to the instalment. */
  applied: PositiveMoneySchema,
  /** Everything paid to the instalment so far. */
  paidTotal: MoneySchema,
  amount: PositiveMoneySchema,
  /** Paid after its due date (and so, perhaps, after it was missed). */
  late: z.boolean(),
};

export const InstalmentPartiallyPaid = defineEvent({
  service,
  type: 'InstalmentPartiallyPaid',
  version: 1,
  description: 'A payment went to an instalment but did not complete it.',
  schema: z.object(applied).strict(),
});

export const InstalmentPaid = defineEvent({
  service,
  type: 'InstalmentPaid',
  version: 1,
  description: 'The payments applied to an instalment reached its amount — on time, or late (after its due date, perhaps after it was missed).',
  schema: z.object({ ...applied, wasMissed: z.boolean() }).strict(),
});

export const InstalmentMissed = defineEvent({
  service,
  type: 'InstalmentMissed',
  version: 1,
  description: 'An instalment was not paid in full by its due date plus the grace days; a later payment still goes to it first.',
  schema: z
    .object({
      ...ids,
      number: z.number().int().min(1),
      dueDate: CalendarDateSchema,
      amount: PositiveMoneySchema,
      paid: MoneySchema,
      /** Missed instalments of the plan not since paid, this one included. */
      missedOutstanding: z.number().int().min(1),
    })
    .strict(),
});

export const PlanDefaulted = defineEvent({
  service,
  type: 'PlanDefaulted',
  version: 1,
  description: 'The plan failed: as many instalments missed and unpaid as the plan allows. The agreement ends; the balance is collected again.',
  schema: z
    .object({
      ...ids,
      missedInstalments: z.array(z.number().int().min(1)).min(1),
      total: PositiveMoneySchema,
      paid: MoneySchema,
      outstanding: PositiveMoneySchema,
      defaultedOn: CalendarDateSchema,
    })
    .strict(),
});

export const PlanCompleted = defineEvent({
  service,
  type: 'PlanCompleted',
  version: 1,
  description: 'Every instalment was paid: the account is to be closed as paid in full or, for a settlement or a fee waiver, as settled.',
  schema: z.object({ ...ids, outcome: PlanOutcomeSchema, total: PositiveMoneySchema, paid: PositiveMoneySchema, completedOn: CalendarDateSchema }).strict(),
});

export const PlanCancelled = defineEvent({
  service,
  type: 'PlanCancelled',
  version: 1,
  description: 'A proposed or running plan was withdrawn, with the reason; no instalment falls due after it.',
  schema: z.object({ ...ids, reason: z.string().min(1).max(500), wasAccepted: z.boolean() }).strict(),
});

export const PLAN_EVENTS = [PlanProposed, PlanApproved, PlanAccepted, InstalmentPartiallyPaid, InstalmentPaid, InstalmentMissed, PlanDefaulted, PlanCompleted, PlanCancelled] as const;
export type PlanEvent = EventOf<(typeof PLAN_EVENTS)[number]>;
