import { z } from 'zod';
import { defineEvent, type EventOf } from '../catalog';
import { CalendarDateSchema, MoneySchema, PositiveMoneySchema } from '../money';

const service = 'promises-to-pay' as const;

/**
 * The first event of the promises-to-pay service's published language, defined ahead of the service because the
 * accounts service already counts broken promises in its risk score. The service itself (issue 6) adds the rest.
 */
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

export const PROMISE_EVENTS = [PromiseBroken] as const;
export type PromiseEvent = EventOf<(typeof PROMISE_EVENTS)[number]>;
