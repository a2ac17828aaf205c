import { EventCatalog, promisesToPay, type accounts, type CommandEnvelope, type EventEnvelope } from '@arrears/contracts';
import { uuidV5 } from '@arrears/event-store';

const PROMISE_EVENTS = new EventCatalog(promisesToPay.PROMISE_EVENTS);

/** The namespace of the command ids derived from PromiseBroken events; fixed for ever, or redeliveries would count again. */
const BROKEN_PROMISE_COMMANDS = '0f3d2c9b-7a61-4c8e-b1d4-6e2f9a8c5b17';

/**
 * The accounts service's own NoteBrokenPromise for a PromiseBroken it consumed. Its command id is derived from the
 * event id and its `now` is the event's business time, so a redelivered event is the same command again and
 * changes nothing.
 */
export function noteBrokenPromise(event: EventEnvelope): CommandEnvelope & Extract<accounts.AccountCommand, { type: 'NoteBrokenPromise' }> {
  const decoded = PROMISE_EVENTS.decode(event);
  if (decoded.type !== 'PromiseBroken') throw new Error(`Expected a PromiseBroken, got ${decoded.type}`);
  const { accountId, promiseId, dueDate } = decoded.data;
  return {
    commandId: uuidV5(`PromiseBroken/${event.eventId}`, BROKEN_PROMISE_COMMANDS),
    type: 'NoteBrokenPromise',
    schemaVersion: 1,
    data: { accountId, promiseId, dueDate },
    metadata: {
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
      caseId: accountId,
      actorId: 'system:accounts',
      actorRole: 'system',
      now: event.occurredAt,
    },
  };
}
