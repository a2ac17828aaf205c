import type { accounts, CommandEnvelope, EventEnvelope } from '@arrears/contracts';
import { uuidV5 } from '@arrears/event-store';

type AccountCommand = accounts.AccountCommand;

/**
 * The accounts service's own command for an event another service published. Its id is derived from the event id
 * (in a namespace fixed per kind of event) and its `now` is the event's business time, so a redelivered event is
 * the same command again and changes nothing.
 */
export function commandFromEvent<Type extends AccountCommand['type']>(
  event: EventEnvelope,
  namespace: string,
  type: Type,
  data: Extract<AccountCommand, { type: Type }>['data'],
): CommandEnvelope & Extract<AccountCommand, { type: Type }> {
  return {
    commandId: uuidV5(`${event.type}/${event.eventId}`, namespace),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
      caseId: data.accountId,
      actorId: 'system:accounts',
      actorRole: 'system',
      now: event.occurredAt,
    },
  } as CommandEnvelope & Extract<AccountCommand, { type: Type }>;
}
