import { z } from 'zod';
import { defineEvent, type EventOf } from '../catalog';
import { CalendarDateSchema, MoneySchema, PositiveMoneySchema } from '../money';

const service = 'promises-to-pay' as const;

const ids = { promiseId: z.uuid(), accountId: z.uuid() };
const InstantSchema = z.iso.datetime({ offset: true });

/**
 * A case's promises live in one stream, `promise-<accountId>` (the case id): "one open promise per case" is then a
 * rule of one aggregate, and a payment is matched against all of the case's open promises at once.
 */
export const PromiseRecorded = defineEvent({
  service,
  type: 'PromiseRecorded',
  version: 1,
  description: 'The debtor promised to pay an amount by a date; it breaks at `breaksAt` (the day after due date plus grace) unless kept.',
  schema: z
    .object({
      ...ids,
      amount: PositiveMoneySchema,
      /** The day it was made: payments received from then on count towards it. */
      madeOn: CalendarDateSchema,
      dueDate: CalendarDateSchema,
      graceDays: z.number().int().min(0).max(60),
      breaksAt: InstantSchema,
      channel: z.enum(['call', 'sms', 'email', 'letter', 'visit', 'portal']),
      operatorId: z.string().min(1).max(200),
    })
    .strict(),
});

const matched = {
  ...ids,
  paymentReference: z.string().min(1).max(100),
  /** What of this payment went to the promise. */
  applied: PositiveMoneySchema,
  /** Everything applied to the promise so far. */
  paidTotal: MoneySchema,
  promised: PositiveMoneySchema,
};

export const PromisePartiallyKept = defineEvent({
  service,
  type: 'PromisePartiallyKept',
  version: 1,
  description: 'A payment went to an open promise but did not complete it; the promise stays open until it is kept or breaks.',
  schema: z.object(matched).strict(),
});

export const PromiseKept = defineEvent({
  service,
  type: 'PromiseKept',
  version: 1,
  description: 'The payments applied to a promise reached the promised amount in time.',
  schema: z.object(matched).strict(),
});

export const PromiseCancelled = defineEvent({
  service,
  type: 'PromiseCancelled',
  version: 1,
  description: 'An open promise was withdrawn (replaced by a plan, recorded by mistake…), with the reason.',
  schema: z.object({ ...ids, reason: z.string().min(1).max(500) }).strict(),
});

export const PromiseBroken = defineEvent({
  service,
  type: 'PromiseBroken',
  version: 1,
  description: 'A promise to pay was not kept: by its due date plus the grace period, less than the promised amount was paid.',
  schema: z
    .object({
      promiseId: z.uuid(),
      accountId: z.uuid(),
      promised: PositiveMoneySchema,
      paid: MoneySchema,
      dueDate: CalendarDateSchema,
      brokenOn: CalendarDateSchema,
    })
    .strict(),
});

export const PROMISE_EVENTS = [PromiseRecorded, PromisePartiallyKept, PromiseKept, PromiseBroken, PromiseCancelled] as const;
export type PromiseEvent = EventOf<(typeof PROMISE_EVENTS)[number]>;
