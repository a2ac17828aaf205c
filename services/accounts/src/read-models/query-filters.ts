import { accounts, CurrencySchema } from '@arrears/contracts';
import { inputParser } from '@arrears/read-models';
import { z } from 'zod';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const minorUnits = z.number().int().min(0).refine(Number.isSafeInteger, 'must be a safe integer number of minor units');
const status = z.enum(['open', 'closed']);

export const AccountListFilterSchema = z
  .object({
    agingBucket: accounts.AgingBucketSchema.optional(),
    riskTier: accounts.RiskTierSchema.optional(),
    flag: accounts.FlagSchema.optional(),
    creditorId: z.string().min(1).max(100).optional(),
    status: status.optional(),
    currency: CurrencySchema.optional(),
    /** Inclusive bounds on the total owed, in minor units of `currency` (required with either bound). */
    minTotal: minorUnits.optional(),
    maxTotal: minorUnits.optional(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    /** Keyset paging: the `accountId` of the last row of the previous page (its `nextAfter`). */
    after: z.uuid().optional(),
  })
  .strict()
  // Minor units of different currencies are not comparable (a yen has none, a dinar three): a range needs one.
  .refine((filter) => (filter.minTotal === undefined && filter.maxTotal === undefined) || filter.currency !== undefined, {
    message: 'a balance range needs the currency its minor units are in',
    path: ['currency'],
  })
  .refine((filter) => filter.minTotal === undefined || filter.maxTotal === undefined || filter.minTotal <= filter.maxTotal, {
    message: 'must not be below minTotal',
    path: ['maxTotal'],
  });
export type AccountListFilter = z.input<typeof AccountListFilterSchema>;
export type ParsedAccountListFilter = z.output<typeof AccountListFilterSchema>;

/** A country (`US`, which takes in `US-IL` too) or one jurisdiction (`US-IL`). */
export const JurisdictionFilterSchema = accounts.JurisdictionSchema;

export const PortfolioFilterSchema = z
  .object({
    creditorId: z.string().min(1).max(100).optional(),
    product: accounts.ProductSchema.optional(),
    jurisdiction: JurisdictionFilterSchema.optional(),
    currency: CurrencySchema.optional(),
    /** Default open: the portfolio being worked. */
    status: status.default('open'),
  })
  .strict();
export type PortfolioFilter = z.input<typeof PortfolioFilterSchema>;

export const AccountIdSchema = z.uuid();

/** Parses input or throws VALIDATION_FAILED naming the field (an unknown field is named too: `… is not a filter here`). */
export const parseInput = inputParser('filter');
