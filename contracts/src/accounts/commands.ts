import { z } from 'zod';
import { defineCommand, type CommandOf } from '../catalog';
import { CalendarDateSchema, CurrencySchema, PositiveMoneySchema } from '../money';
import {
  AdjustmentKindSchema,
  AllocationOrderSchema,
  CloseReasonSchema,
  ContactDetailsSchema,
  CreditorSchema,
  DebtorSchema,
  FlagSchema,
  LanguageSchema,
  ProductSchema,
  TimeZoneSchema,
} from './account';

const service = 'accounts' as const;
const accountId = z.uuid();
const amountPart = z.number().int().min(0).refine(Number.isSafeInteger, 'must be a safe integer');
const reason = z.string().trim().min(1, 'a reason is required').max(500);

export const PlaceAccount = defineCommand({
  service,
  type: 'PlaceAccount',
  description:
    'Place a delinquent account for collection. Give the due date that was missed, or the days past due as of the command\'s time. ' +
    'Personal data is sent in plaintext over the command (TLS in production) and encrypted by the accounts service before anything is stored.',
  schema: z
    .object({
      accountId,
      creditor: CreditorSchema,
      creditorReference: z.string().trim().min(1).max(100),
      product: ProductSchema,
      currency: CurrencySchema,
      principal: amountPart,
      fees: amountPart,
      interest: amountPart,
      dueDate: CalendarDateSchema.optional(),
      daysPastDue: z.number().int().min(0).max(36_500).optional(),
      /** Default: fees, then interest, then principal. */
      allocationOrder: AllocationOrderSchema.optional(),
      debtor: DebtorSchema,
    })
    .strict()
    .refine((data) => (data.dueDate === undefined) !== (data.daysPastDue === undefined), { message: 'give either dueDate or daysPastDue, not both', path: ['dueDate'] })
    .refine((data) => data.principal + data.fees + data.interest > 0, { message: 'the balance placed must be more than zero', path: ['principal'] }),
});

export const PostPayment = defineCommand({
  service,
  type: 'PostPayment',
  description: 'Apply a payment. Idempotent by the external payment reference: the same reference and amount again changes nothing; a different amount under it is refused.',
  schema: z
    .object({
      accountId,
      paymentReference: z.string().trim().min(1).max(100),
      amount: PositiveMoneySchema,
      receivedOn: CalendarDateSchema,
      channel: z.string().trim().min(1).max(50).default('unspecified'),
    })
    .strict(),
});

export const AdjustBalance = defineCommand({
  service,
  type: 'AdjustBalance',
  description: "Waive fees or interest (up to the acting role's limit), or freeze or unfreeze interest, with a reason and the approving user.",
  schema: z
    .object({
      accountId,
      kind: AdjustmentKindSchema,
      /** For a waiver: how much, in minor units of the account's currency. */
      amount: PositiveMoneySchema.optional(),
      reason,
      approvedBy: z.string().trim().min(1).max(200),
    })
    .strict()
    .refine((data) => (data.kind === 'fee-waiver' || data.kind === 'interest-waiver') === (data.amount !== undefined), {
      message: 'a waiver needs an amount; a freeze or unfreeze takes none',
      path: ['amount'],
    }),
});

export const FlagAccount = defineCommand({
  service,
  type: 'FlagAccount',
  description: 'Record a hold or circumstance. Breathing space needs the day it ends; attorney-represented needs the attorney\'s contact.',
  schema: z
    .object({ accountId, flag: FlagSchema, reason, endsOn: CalendarDateSchema.optional(), attorneyContact: z.string().trim().min(3).max(500).optional() })
    .strict()
    .refine((data) => (data.flag === 'breathing-space') === (data.endsOn !== undefined), { message: 'breathing-space (and only it) takes endsOn', path: ['endsOn'] })
    .refine((data) => (data.flag === 'attorney-represented') === (data.attorneyContact !== undefined), {
      message: "attorney-represented (and only it) takes the attorney's contact",
      path: ['attorneyContact'],
    }),
});

export const ClearFlag = defineCommand({ service, type: 'ClearFlag', description: 'A flag no longer applies.', schema: z.object({ accountId, flag: FlagSchema, reason }).strict() });

export const UpdateContactDetails = defineCommand({
  service,
  type: 'UpdateContactDetails',
  description: "Replace the debtor's phones, emails and postal address; optionally the time zone and language.",
  schema: ContactDetailsSchema.extend({ accountId, timeZone: TimeZoneSchema.optional(), language: LanguageSchema.optional() }).strict(),
});

export const CloseAccount = defineCommand({
  service,
  type: 'CloseAccount',
  description: 'Take the account out of collection: paid in full, settled, written off, sold or returned to the creditor.',
  schema: z.object({ accountId, reason: CloseReasonSchema, note: z.string().max(500).optional() }).strict(),
});

export const EraseDebtorData = defineCommand({
  service,
  type: 'EraseDebtorData',
  description: "Erase the debtor's personal data by deleting their key: the history still replays, with personal fields shown as erased.",
  schema: z.object({ accountId, reason }).strict(),
});

export const ReviewAccount = defineCommand({
  service,
  type: 'ReviewAccount',
  description: "Recompute days past due, aging bucket and risk tier as of the command's time (run daily by the scheduler); publishes only what changed.",
  schema: z.object({ accountId }).strict(),
});

export const NoteBrokenPromise = defineCommand({
  service,
  type: 'NoteBrokenPromise',
  description: 'Count a broken promise against the account (sent by the accounts service itself on PromiseBroken).',
  schema: z.object({ accountId, promiseId: z.uuid(), dueDate: CalendarDateSchema }).strict(),
});

export const CloseOnCompletedPlan = defineCommand({
  service,
  type: 'CloseOnCompletedPlan',
  description:
    "Close the account because its payment plan completed: as paid in full or settled, as the plan says; as settled when a balance the plan did not cover remains (sent by the accounts service itself on PlanCompleted).",
  schema: z.object({ accountId, planId: z.uuid(), outcome: CloseReasonSchema.extract(['paid-in-full', 'settled']) }).strict(),
});

export const ACCOUNT_COMMANDS = [
  PlaceAccount,
  PostPayment,
  AdjustBalance,
  FlagAccount,
  ClearFlag,
  UpdateContactDetails,
  CloseAccount,
  EraseDebtorData,
  ReviewAccount,
  NoteBrokenPromise,
  CloseOnCompletedPlan,
] as const;

export type AccountCommand = CommandOf<(typeof ACCOUNT_COMMANDS)[number]>;
