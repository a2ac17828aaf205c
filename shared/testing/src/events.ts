/** Events for tests: realistic envelopes with fresh ids, in streams and categories no other test uses. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { NewEvent } from '@arrears/contracts';

/** A category no other test uses, so global-log assertions hold even on a store shared with other traffic. */
export function uniqueCategory(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export function uniqueStream(category = uniqueCategory()): string {
  return `${category}-${randomUUID()}`;
}

export function newEvent(type = 'SomethingHappened', data: Record<string, unknown> = {}, caseId = randomUUID()): NewEvent {
  const commandId = randomUUID();
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: '2026-11-29T09:30:00.000Z',
    data,
    metadata: {
      commandId,
      correlationId: commandId,
      causationId: commandId,
      caseId,
      actorId: 'collector-7',
      actorRole: 'collector',
    },
  };
}

export function newEvents(count: number, type = 'SomethingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { index }));
}
