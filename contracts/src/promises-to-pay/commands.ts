import { z } from 'zod';
import { defineCommand, type CommandOf } from '../catalog';
import { CalendarDateSchema, PositiveMoneySchema } from '../money';

const service = 'promises-to-pay' as const;
const ids = { promiseId: z.uuid(), accountId: z.uuid() };

export const RecordPromise = defineCommand({
  service,
  type: 'RecordPromise',
  description: 'Record a promise to pay: amount and due date, by what channel it was made; the operator is the actor. One open promise per case unless configured otherwise.',
  schema: z.object({ ...ids, amount: PositiveMoneySchema, dueDate: CalendarDateSchema, channel: z.enum(['call', 'sms', 'email', 'letter', 'visit', 'portal']) }).strict(),
});

export const CancelPromise = defineCommand({
  service,
  type: 'CancelPromise',
  description: 'Withdraw an open promise, with the reason.',
  schema: z.object({ ...ids, reason: z.string().trim().min(1).max(500) }).strict(),
});

export const PROMISE_COMMANDS = [RecordPromise, CancelPromise] as const;
export type PromiseCommand = CommandOf<(typeof PROMISE_COMMANDS)[number]>;
