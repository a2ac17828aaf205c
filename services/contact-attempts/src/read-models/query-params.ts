import { accounts, contactAttempts } from '@arrears/contracts';
import { z } from 'zod';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;
/** The most violations a compliance report lists one by one (they are all counted). */
export const MAX_LISTED_VIOLATIONS = 1_000;

const CalendarDaySchema = z.iso.date();
/** A country's rules apply to every jurisdiction of it: `US` covers `US-IL`. */
const CountrySchema = z.string().regex(/^[A-Z]{2}$/, 'must be a country code such as US');
const JurisdictionSchema = z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,7})?$/, 'must be a jurisdiction such as US or US-IL');
const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');
const OperatorIdSchema = z.string().min(1).max(200);

/** The case's creditor and product (from its AccountPlaced): a case whose placement is not applied yet matches neither. */
const caseFilters = {
  creditorId: z.string().min(1).max(100).optional(),
  product: accounts.ProductSchema.optional(),
};

/**
 * The hours in which a contact may be made, in the debtor's local time: from `from` (included) to `to` (excluded).
 * Daytime windows only: `to` is after `from` on the same day.
 */
export const ContactWindowSchema = z
  .object({ from: LocalTimeSchema, to: LocalTimeSchema })
  .strict()
  .refine((window) => window.from < window.to, { message: 'must be after from (a daytime window)', path: ['to'] });
export type ContactWindow = z.infer<typeof ContactWindowSchema>;

/** Regulation F reaches the US territories too, which may be recorded under their own country codes. */
const REG_F_COUNTRIES = ['US', 'PR', 'GU', 'VI', 'AS', 'MP'] as const;
const perRegFCountry = <T>(value: T): Record<string, T> => Object.fromEntries(REG_F_COUNTRIES.map((country) => [country, value]));

/** US Regulation F: 08:00–21:00; China's post-loan collection guideline: no calls 22:00–08:00. */
export const DEFAULT_CONTACT_WINDOWS: Readonly<Record<string, ContactWindow>> = { ...perRegFCountry({ from: '08:00', to: '21:00' }), CN: { from: '08:00', to: '22:00' } };
/** Regulation F: no more than 7 calls about one debt in 7 days. */
export const DEFAULT_CALLS_PER_ACCOUNT_PER_7_DAYS: Readonly<Record<string, number>> = perRegFCountry(7);
/** China: at most 3 connected calls a day per debtor. */
export const DEFAULT_CONNECTED_CALLS_PER_DEBTOR_PER_DAY: Readonly<Record<string, number>> = { CN: 3 };
/** Letters have no time of day. */
export const DEFAULT_QUIET_HOURS_CHANNELS: readonly contactAttempts.Channel[] = ['call', 'sms', 'email', 'visit'];

/** Calendar days, both included, as UTC days. */
const dateRange = { from: CalendarDaySchema, to: CalendarDaySchema };
const rangeInOrder = (range: { from?: string; to?: string }) => range.from === undefined || range.to === undefined || range.from <= range.to;
const toNotBeforeFrom = () => ({ message: 'must not be before from', path: ['to'] });

export const ComplianceReportParamsSchema = z
  .object({
    ...dateRange,
    /** A country (`US`) or one jurisdiction of it (`US-IL`). */
    jurisdiction: JurisdictionSchema.optional(),
    ...caseFilters,
    /** Per country; replaces the defaults as a whole. A country without a window is counted as not checked. */
    contactWindows: z.record(CountrySchema, ContactWindowSchema).default({ ...DEFAULT_CONTACT_WINDOWS }),
    quietHoursChannels: z.array(contactAttempts.ChannelSchema).min(1).default([...DEFAULT_QUIET_HOURS_CHANNELS]),
    callsPerAccountPer7Days: z.record(CountrySchema, z.number().int().min(1)).default({ ...DEFAULT_CALLS_PER_ACCOUNT_PER_7_DAYS }),
    connectedCallsPerDebtorPerDay: z.record(CountrySchema, z.number().int().min(1)).default({ ...DEFAULT_CONNECTED_CALLS_PER_DEBTOR_PER_DAY }),
    /** How many violations of each kind to list (all are counted). */
    listLimit: z.number().int().min(0).max(MAX_LISTED_VIOLATIONS).default(100),
  })
  .strict()
  .refine(rangeInOrder, toNotBeforeFrom());
export type ComplianceReportParams = z.input<typeof ComplianceReportParamsSchema>;
export type ParsedComplianceReportParams = z.output<typeof ComplianceReportParamsSchema>;

export const ContactHistoryParamsSchema = z
  .object({
    accountId: z.uuid(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    /** Keyset paging: the `contactId` of the last row of the previous page (its `nextAfter`). */
    after: z.uuid().optional(),
  })
  .strict();
export type ContactHistoryParams = z.input<typeof ContactHistoryParamsSchema>;

export const CollectorDaysParamsSchema = z
  .object({
    ...dateRange,
    operatorId: OperatorIdSchema.optional(),
    /** Days in this zone instead of UTC days: recounted from the contact history rather than read from the tallies. */
    timeZone: z.string().min(1).max(100).optional(),
    /** These recounted from the contact history too (the tallies are per collector and day only). */
    jurisdiction: JurisdictionSchema.optional(),
    ...caseFilters,
  })
  .strict()
  .refine(rangeInOrder, toNotBeforeFrom());
export type CollectorDaysParams = z.input<typeof CollectorDaysParamsSchema>;

const metricsFilter = {
  from: CalendarDaySchema.optional(),
  to: CalendarDaySchema.optional(),
  jurisdiction: JurisdictionSchema.optional(),
  ...caseFilters,
  channel: contactAttempts.ChannelSchema.default('call'),
};

export const RightPartyRateParamsSchema = z.object(metricsFilter).strict().refine(rangeInOrder, toNotBeforeFrom());
export type RightPartyRateParams = z.input<typeof RightPartyRateParamsSchema>;

export const ContactRateByHourParamsSchema = z
  .object({ ...metricsFilter, operatorId: OperatorIdSchema.optional() })
  .strict()
  .refine(rangeInOrder, toNotBeforeFrom());
export type ContactRateByHourParams = z.input<typeof ContactRateByHourParamsSchema>;

export const BestTimesParamsSchema = z.object({ debtorIds: z.array(z.uuid()).min(1).max(500) }).strict();
export type BestTimesParams = z.input<typeof BestTimesParamsSchema>;

export const DebtorIdSchema = z.uuid();

export const AccountBestTimeParamsSchema = z.object({ accountId: z.uuid() }).strict();
export type AccountBestTimeParams = z.input<typeof AccountBestTimeParamsSchema>;

/** The instants a range of UTC calendar days covers: [from 00:00Z, the day after `to` 00:00Z). */
export function instantsOf(range: { readonly from?: string | undefined; readonly to?: string | undefined }): { from: string | null; until: string | null } {
  return {
    from: range.from === undefined ? null : `${range.from}T00:00:00.000Z`,
    until: range.to === undefined ? null : new Date(Date.parse(`${range.to}T00:00:00.000Z`) + 86_400_000).toISOString(),
  };
}
