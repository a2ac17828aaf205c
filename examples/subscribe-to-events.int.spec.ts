import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventToMessage, globalPosition, natsTopology, type EventEnvelope } from '@arrears/contracts';
import { deleteStreams, ensureStreams } from '@arrears/messaging';
import { uniqueName } from '@arrears/testing';
import { connect, headers, type NatsConnection } from 'nats';

const run = promisify(execFile);
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');

/** The example in docs/subscribing.md, run as a reader would run it. */
describe('examples/subscribe-to-events.ts', () => {
  const topology = natsTopology(uniqueName('sub'));
  let nc: NatsConnection;

  const event = (streamId: string, type: string, position: number): EventEnvelope => ({
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    streamId,
    streamPosition: position,
    globalPosition: globalPosition(100 + position, position),
    occurredAt: '2026-11-29T09:00:00.000Z',
    recordedAt: '2026-11-29T09:00:00.010Z',
    data: { position },
    metadata: { commandId: randomUUID(), correlationId: randomUUID(), causationId: randomUUID(), actorId: 'collector-1', actorRole: 'collector' },
  });

  beforeAll(async () => {
    nc = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
    await ensureStreams(await nc.jetstreamManager(), topology);
  });

  afterAll(async () => {
    await deleteStreams(await nc.jetstreamManager(), topology);
    await nc.close();
  });

  async function subscribe(...args: string[]) {
    const { stdout } = await run(tsx, [path.join(__dirname, 'subscribe-to-events.ts'), '--root', topology.root, ...args], { timeout: 90_000 });
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { subject: string; event: EventEnvelope });
  }

  it('reads a filtered set of subjects from the start of history, durably', async () => {
    const promise = `promise-${randomUUID()}`;
    const published = [event(promise, 'PromiseRecorded', 0), event(`account-${randomUUID()}`, 'AccountPlaced', 0), event(promise, 'PromiseBroken', 1), event(promise, 'PromiseKept', 2)];
    const js = nc.jetstream();
    for (const envelope of published) {
      const message = eventToMessage(envelope, topology);
      const h = headers();
      for (const [name, value] of Object.entries(message.headers)) h.set(name, value);
      await js.publish(message.subject, message.body, { headers: h, msgID: envelope.eventId });
    }
    const subject = `${topology.eventPrefix}.promises-to-pay.>`;
    const durable = uniqueName('risk');

    const first = await subscribe('--subject', subject, '--durable', durable, '--from', 'start', '--max', '2');
    expect(first.map((line) => line.event)).toEqual([published[0], published[2]]);
    expect(first[1]?.subject).toBe(`${topology.eventPrefix}.promises-to-pay.PromiseBroken`);

    const resumed = await subscribe('--durable', durable, '--max', '1');
    expect(resumed.map((line) => line.event)).toEqual([published[3]]);

    const fromSequence = await subscribe('--subject', `${topology.eventPrefix}.accounts.>`, '--durable', uniqueName('dw'), '--from', '2', '--max', '1');
    expect(fromSequence.map((line) => line.event.type)).toEqual(['AccountPlaced']);
  }, 240_000);
});
