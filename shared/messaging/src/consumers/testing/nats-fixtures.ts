import { randomBytes, randomUUID } from 'node:crypto';
import { eventToMessage, globalPosition, natsTopology, type EventEnvelope, type Topology } from '@arrears/contracts';
import { headers as natsHeaders, type JetStreamClient, type JetStreamManager } from 'nats';
import { deleteStreams, ensureStreams } from '../../jetstream-setup';

// Test support for the consumer and command tests (and the child processes of the fault tests).

/** A topology of its own: two JetStream streams cannot capture the same subjects, so every test takes a root. */
export function testTopology(): Topology {
  return natsTopology(`t${randomBytes(5).toString('hex')}`);
}

export async function createTopology(jsm: JetStreamManager, topology: Topology): Promise<void> {
  await ensureStreams(jsm, topology, { duplicateWindowMs: 60_000 });
}

/** Deletes the streams, and with them every consumer on them. */
export async function removeTopology(jsm: JetStreamManager, topology: Topology): Promise<void> {
  await deleteStreams(jsm, topology);
}

/** A stored event as the relay would publish it: a promise of one case, broken. */
export function promiseBroken(overrides: { caseId?: string; streamId?: string; streamPosition?: number; data?: Record<string, unknown> } = {}): EventEnvelope {
  const commandId = randomUUID();
  const position = overrides.streamPosition ?? 0;
  return {
    eventId: randomUUID(),
    type: 'PromiseBroken',
    schemaVersion: 1,
    streamId: overrides.streamId ?? `promise-${randomUUID()}`,
    streamPosition: position,
    globalPosition: globalPosition(1, position),
    occurredAt: '2026-11-29T09:30:00.000Z',
    recordedAt: '2026-11-29T09:30:00.120Z',
    data: overrides.data ?? { promiseId: randomUUID() },
    metadata: {
      commandId,
      correlationId: commandId,
      causationId: commandId,
      caseId: overrides.caseId ?? randomUUID(),
      actorId: 'system:promises-to-pay',
      actorRole: 'system',
    },
  };
}

/** Publishes as the relay does (message id = event id) and returns the stream sequence. */
export async function publishEvent(js: JetStreamClient, topology: Topology, event: EventEnvelope): Promise<number> {
  const message = eventToMessage(event, topology);
  const headers = natsHeaders();
  for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
  const ack = await js.publish(message.subject, message.body, { msgID: event.eventId, headers });
  return ack.seq;
}

/** The subject every test handler listens on. */
export function promiseBrokenSubject(topology: Topology): string {
  return `${topology.eventPrefix}.promises-to-pay.PromiseBroken`;
}
