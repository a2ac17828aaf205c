import { z } from 'zod';

/** ISO 4217 alphabetic code. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as USD');

/** An amount in integer minor units (cents) of its currency: no floating point ever touches money. */
export const MoneySchema = z
  .object({
    minor: z.number().int().refine(Number.isSafeInteger, 'must be a safe integer number of minor units'),
    currency: CurrencySchema,
  })
  .strict();
export type Money = z.infer<typeof MoneySchema>;

/** A positive amount: what a payment, a waiver or a promise is. */
export const PositiveMoneySchema = MoneySchema.refine((money) => money.minor > 0, { message: 'must be more than zero', path: ['minor'] });

/** A calendar date (`2026-11-29`), for due dates: a day, not an instant. */
export const CalendarDateSchema = z.iso.date();
