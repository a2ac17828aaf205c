import { EventCatalog, promisesToPay, type accounts, type CommandEnvelope, type EventEnvelope } from '@arrears/contracts';
import { commandFromEvent } from './event-commands';

const PROMISE_EVENTS = new EventCatalog(promisesToPay.PROMISE_EVENTS);

/** The namespace of the command ids derived from PromiseBroken events; fixed for ever, or redeliveries would count again. */
const BROKEN_PROMISE_COMMANDS = '0f3d2c9b-7a61-4c8e-b1d4-6e2f9a8c5b17';

/** The accounts service's own NoteBrokenPromise for a PromiseBroken it consumed: a redelivery is the same command. */
export function noteBrokenPromise(event: EventEnvelope): CommandEnvelope & Extract<accounts.AccountCommand, { type: 'NoteBrokenPromise' }> {
  const decoded = PROMISE_EVENTS.decode(event);
  if (decoded.type !== 'PromiseBroken') throw new Error(`Expected a PromiseBroken, got ${decoded.type}`);
  const { accountId, promiseId, dueDate } = decoded.data;
  return commandFromEvent(event, BROKEN_PROMISE_COMMANDS, 'NoteBrokenPromise', { accountId, promiseId, dueDate });
}
