import { eventToMessage, globalPosition, type Topology } from '@arrears/contracts';
import { connectNats } from '@arrears/messaging';
import { newAccountStreamId, newPayments } from '@arrears/testing';
import { headers as natsHeaders, type JetStreamClient, type NatsConnection } from 'nats';
import { ConsumerProcess } from './consumer-process';
import type { BusPath } from './path';
import { Tracker } from './tracker';

/**
 * The floor: the same messages — subject, headers and body exactly as the relay puts them on the wire — published
 * straight to JetStream with `Nats-Msg-Id` by the writer that made them, and read back by a bare durable pull
 * consumer in a process of its own (`bare-consumer.ts`). The stream has the same settings as the relay's.
 */
export class RawPath implements BusPath {
  readonly id = 'raw' as const;
  readonly tracker = new Tracker();
  private sequence = 0;

  private constructor(
    private readonly topology: Topology,
    private readonly publisher: NatsConnection,
    private readonly js: JetStreamClient,
    readonly consumer: ConsumerProcess,
  ) {}

  static async start(topology: Topology): Promise<RawPath> {
    const publisher = await connectNats('bench:bus raw publisher');
    try {
      return new RawPath(topology, publisher, publisher.jetstream(), await ConsumerProcess.start('raw', topology));
    } catch (error) {
      await publisher.close();
      throw error;
    }
  }

  /** The event an append would have stored, on the wire as the relay puts it, published as a service could. */
  readonly send = async (): Promise<void> => {
    const [event] = newPayments(1) as [ReturnType<typeof newPayments>[number]];
    const sequence = ++this.sequence;
    const message = eventToMessage(
      { ...event, streamId: newAccountStreamId(), streamPosition: 0, globalPosition: globalPosition(sequence, 0), recordedAt: new Date().toISOString() },
      this.topology,
    );
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
    this.tracker.sent(event.eventId);
    await this.js.publish(message.subject, message.body, { msgID: event.eventId, headers });
    this.tracker.written(event.eventId);
  };

  async stop(): Promise<void> {
    try {
      await this.consumer.stop();
    } finally {
      await this.publisher.close().catch(() => undefined);
    }
  }
}
