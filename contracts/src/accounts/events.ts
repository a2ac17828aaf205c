import { z } from 'zod';
import { defineEvent, type EventOf } from '../catalog';
import { CalendarDateSchema, CurrencySchema, MoneySchema, PositiveMoneySchema } from '../money';
import { EncryptedSchema } from '../personal-data';
import {
  AdjustmentKindSchema,
  AgingBucketSchema,
  AllocationOrderSchema,
  BalanceSchema,
  CloseReasonSchema,
  CreditorSchema,
  FlagSchema,
  ProductSchema,
  RiskTierSchema,
  SealedContactDetailsSchema,
  SealedDebtorSchema,
  TimeZoneSchema,
  LanguageSchema,
} from './account';

const service = 'accounts' as const;
const accountId = z.uuid();

export const AccountPlaced = defineEvent({
  service,
  type: 'AccountPlaced',
  version: 1,
  description:
    'A creditor placed a delinquent account for collection: the debt as placed, the debtor (personal fields encrypted under the debtor\'s key), ' +
    'and the order payments are allocated in. The account id is also the case id.',
  schema: z
    .object({
      accountId,
      creditor: CreditorSchema,
      creditorReference: z.string().min(1).max(100),
      product: ProductSchema,
      currency: CurrencySchema,
      balance: BalanceSchema,
      dueDate: CalendarDateSchema,
      allocationOrder: AllocationOrderSchema,
      debtor: SealedDebtorSchema,
    })
    .strict(),
});

const Allocation = z.object({ fees: z.number().int().min(0), interest: z.number().int().min(0), principal: z.number().int().min(0), credit: z.number().int().min(0) }).strict();

export const PaymentPosted = defineEvent({
  service,
  type: 'PaymentPosted',
  version: 1,
  description: 'A payment was applied to the account, split across its parts in the allocation order; what exceeds the balance is held as credit.',
  schema: z
    .object({
      accountId,
      paymentReference: z.string().min(1).max(100),
      amount: PositiveMoneySchema,
      receivedOn: CalendarDateSchema,
      channel: z.string().min(1).max(50),
      allocation: Allocation,
      balanceAfter: BalanceSchema,
      creditAfter: z.number().int().min(0),
    })
    .strict(),
});

export const BalanceAdjusted = defineEvent({
  service,
  type: 'BalanceAdjusted',
  version: 1,
  description: 'Fees or interest were waived, or interest frozen or unfrozen, with the reason and the approving user.',
  schema: z
    .object({
      accountId,
      kind: AdjustmentKindSchema,
      /** The amount waived (zero for a freeze or unfreeze). */
      amount: MoneySchema,
      reason: z.string().min(1).max(500),
      approvedBy: z.string().min(1).max(200),
      balanceAfter: BalanceSchema,
      interestFrozen: z.boolean(),
    })
    .strict(),
});

export const AccountFlagged = defineEvent({
  service,
  type: 'AccountFlagged',
  version: 1,
  description: 'A hold or a circumstance was recorded on the account (dispute, cease-communication, attorney, bankruptcy, deceased, vulnerable, breathing space).',
  schema: z
    .object({
      accountId,
      flag: FlagSchema,
      reason: z.string().min(1).max(500),
      /** Breathing space: the last day it applies. */
      endsOn: CalendarDateSchema.optional(),
      /** Attorney-represented: how to reach the attorney, encrypted with the debtor's personal data. */
      attorneyContact: EncryptedSchema.optional(),
    })
    .strict(),
});

export const FlagCleared = defineEvent({
  service,
  type: 'FlagCleared',
  version: 1,
  description: 'A flag no longer applies.',
  schema: z.object({ accountId, flag: FlagSchema, reason: z.string().min(1).max(500) }).strict(),
});

export const ContactDetailsUpdated = defineEvent({
  service,
  type: 'ContactDetailsUpdated',
  version: 1,
  description: "The debtor's contact details were replaced (encrypted), and with them perhaps the time zone or language.",
  schema: SealedContactDetailsSchema.extend({ accountId, debtorId: z.uuid(), timeZone: TimeZoneSchema.optional(), language: LanguageSchema }).strict(),
});

export const AccountClosed = defineEvent({
  service,
  type: 'AccountClosed',
  version: 1,
  description: 'The account left collection, with the reason and what was still owed.',
  schema: z.object({ accountId, reason: CloseReasonSchema, note: z.string().max(500).optional(), balanceAtClose: BalanceSchema, creditAtClose: z.number().int().min(0) }).strict(),
});

export const DebtorDataErased = defineEvent({
  service,
  type: 'DebtorDataErased',
  version: 1,
  description: "The debtor's personal data was erased: their key is deleted, so every encrypted field of theirs reads as erased from now on.",
  schema: z.object({ accountId, debtorId: z.uuid(), reason: z.string().min(1).max(500) }).strict(),
});

export const AgingBucketChanged = defineEvent({
  service,
  type: 'AgingBucketChanged',
  version: 1,
  description: 'Days past due moved the account into another aging bucket: the history of these is what roll rates are computed from.',
  schema: z.object({ accountId, from: AgingBucketSchema.nullable(), to: AgingBucketSchema, daysPastDue: z.number().int().min(0), asOf: CalendarDateSchema }).strict(),
});

export const RiskTierChanged = defineEvent({
  service,
  type: 'RiskTierChanged',
  version: 1,
  description: 'The risk score moved the account into another tier; the score and each factor are given.',
  schema: z
    .object({
      accountId,
      from: RiskTierSchema.nullable(),
      to: RiskTierSchema,
      score: z.number().int().min(0).max(100),
      factors: z.record(z.string(), z.number().int()),
      asOf: CalendarDateSchema,
    })
    .strict(),
});

export const BrokenPromiseNoted = defineEvent({
  service,
  type: 'BrokenPromiseNoted',
  version: 1,
  description: 'A promise to pay on this account was broken (from promises-to-pay): it counts in the risk score.',
  schema: z.object({ accountId, promiseId: z.uuid(), dueDate: CalendarDateSchema }).strict(),
});

export const ACCOUNT_EVENTS = [
  AccountPlaced,
  PaymentPosted,
  BalanceAdjusted,
  AccountFlagged,
  FlagCleared,
  ContactDetailsUpdated,
  AccountClosed,
  DebtorDataErased,
  AgingBucketChanged,
  RiskTierChanged,
  BrokenPromiseNoted,
] as const;

export type AccountEvent = EventOf<(typeof ACCOUNT_EVENTS)[number]>;
