import { z } from 'zod';
import { EncryptedSchema } from '../personal-data';

export const PRODUCTS = ['consumer-loan', 'credit-card', 'business-loan', 'overdraft', 'auto-loan', 'mortgage', 'student-loan', 'utility', 'telecom', 'other'] as const;
export const ProductSchema = z.enum(PRODUCTS);
export type Product = z.infer<typeof ProductSchema>;

/** Where a payment goes first; every part must be named once. */
export const BALANCE_PARTS = ['fees', 'interest', 'principal'] as const;
export const BalancePartSchema = z.enum(BALANCE_PARTS);
export type BalancePart = z.infer<typeof BalancePartSchema>;
export const AllocationOrderSchema = z
  .array(BalancePartSchema)
  .length(3)
  .refine((order) => new Set(order).size === 3, 'must name fees, interest and principal once each');

/** The three parts of what is owed, in minor units of the account's currency; never negative. */
export const BalanceSchema = z
  .object({ principal: z.number().int().min(0), fees: z.number().int().min(0), interest: z.number().int().min(0) })
  .strict();
export type Balance = z.infer<typeof BalanceSchema>;

export const AGING_BUCKETS = ['current', '1-30', '31-90', '90+'] as const;
export const AgingBucketSchema = z.enum(AGING_BUCKETS);
export type AgingBucket = z.infer<typeof AgingBucketSchema>;

export const RISK_TIERS = ['low', 'medium', 'high'] as const;
export const RiskTierSchema = z.enum(RISK_TIERS);
export type RiskTier = z.infer<typeof RiskTierSchema>;

export const FLAGS = ['dispute', 'cease-communication', 'attorney-represented', 'bankruptcy', 'deceased', 'vulnerable', 'breathing-space', 'time-barred'] as const;
export const FlagSchema = z.enum(FLAGS);
export type Flag = z.infer<typeof FlagSchema>;

/** Flags under which a case is not sent to legal and no handoff is made: the debt is contested, or collecting it is on hold by law. */
export const LEGAL_HOLD_FLAGS: readonly Flag[] = ['dispute', 'bankruptcy', 'deceased', 'breathing-space', 'time-barred'];

export const CLOSE_REASONS = ['paid-in-full', 'settled', 'written-off', 'sold', 'returned-to-creditor'] as const;
export const CloseReasonSchema = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReasonSchema>;

export const ADJUSTMENT_KINDS = ['fee-waiver', 'interest-waiver', 'interest-freeze', 'interest-unfreeze'] as const;
export const AdjustmentKindSchema = z.enum(ADJUSTMENT_KINDS);
export type AdjustmentKind = z.infer<typeof AdjustmentKindSchema>;

export const PHONE_KINDS = ['mobile', 'home', 'work', 'other'] as const;

/** An IANA time zone name (`America/Chicago`): what call-time rules are judged in. */
export const TimeZoneSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/Chicago');

/** ISO 3166-1 country, optionally with a subdivision (`US`, `US-CA`, `CN`, `GB`): selects the compliance rule pack. */
export const JurisdictionSchema = z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, 'must be an ISO 3166 code such as US or US-CA');
/** A BCP 47 language tag (`en`, `es-US`, `zh-CN`). */
export const LanguageSchema = z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or es-US');

export const PhoneSchema = z
  .object({ number: z.string().regex(/^\+?[0-9 ()./-]{4,30}$/, 'must be a phone number of digits, spaces and + ( ) . / -'), kind: z.enum(PHONE_KINDS) })
  .strict()
  .refine((phone) => phone.number.replace(/\D/g, '').length >= 4, { message: 'must have at least four digits', path: ['number'] });
export const PostalAddressSchema = z
  .object({
    lines: z.array(z.string().min(1).max(200)).min(1).max(4),
    city: z.string().min(1).max(100),
    region: z.string().max(100).optional(),
    postalCode: z.string().max(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country'),
  })
  .strict();
export type PostalAddress = z.infer<typeof PostalAddressSchema>;

/** The debtor's contact details as a command carries them: plaintext, encrypted by the accounts service on receipt. */
export const ContactDetailsSchema = z
  .object({
    phones: z.array(PhoneSchema).max(10),
    emails: z.array(z.email()).max(10),
    postalAddress: PostalAddressSchema.optional(),
  })
  .strict();
export type ContactDetails = z.infer<typeof ContactDetailsSchema>;

export const DebtorSchema = ContactDetailsSchema.extend({
  debtorId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  nationalId: z.string().trim().min(4).max(40).optional(),
  /** Left out when unknown: contact rules then judge every time zone of the jurisdiction (docs/compliance.md). */
  timeZone: TimeZoneSchema.optional(),
  jurisdiction: JurisdictionSchema,
  language: LanguageSchema,
}).strict();
export type Debtor = z.infer<typeof DebtorSchema>;

/** The same details as events store them: every personal field encrypted under the debtor's key. */
export const SealedContactDetailsSchema = z
  .object({
    phones: z.array(z.object({ number: EncryptedSchema, kind: z.enum(PHONE_KINDS) }).strict()),
    emails: z.array(EncryptedSchema),
    /** The address as JSON, encrypted. */
    postalAddress: EncryptedSchema.optional(),
  })
  .strict();
export type SealedContactDetails = z.infer<typeof SealedContactDetailsSchema>;

export const SealedDebtorSchema = SealedContactDetailsSchema.extend({
  debtorId: z.uuid(),
  name: EncryptedSchema,
  nationalId: EncryptedSchema.optional(),
  timeZone: TimeZoneSchema.optional(),
  jurisdiction: JurisdictionSchema,
  language: LanguageSchema,
}).strict();
export type SealedDebtor = z.infer<typeof SealedDebtorSchema>;

export const CreditorSchema = z.object({ creditorId: z.string().min(1).max(100), name: z.string().min(1).max(200) }).strict();

