import { EventHeader, type Topology } from '@arrears/contracts';
import { connectNats } from '@arrears/messaging';
import { AckPolicy, DeliverPolicy, nanos, type Consumer, type JsMsg, type NatsConnection } from 'nats';

/** The transport's defaults (DEFAULT_CONSUMER_SETTINGS, UNORDERED_MAX_ACK_PENDING), so both consumers pull alike. */
const CONCURRENCY = 4;
const FETCH_EXPIRES_MS = 5_000;
const ACK_WAIT_MS = 30_000;
const MAX_ACK_PENDING = 1_000;
const DURABLE = 'raw';

export type OnHandled = (eventId: string, msg: JsMsg) => void;

/**
 * The raw path's consumer: a durable pull consumer on a connection of its own that pulls and acknowledges as the
 * transport's pull loop does — asks for as many events as it has free slots (4), handles each at once, `ackAck`
 * after the handler — but without Nest, validation, spans or recovery: its handler decodes the body and records.
 */
export class BareConsumer {
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private batch: { stop(): void } | undefined;
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly onHandled: OnHandled,
  ) {}

  static async start(topology: Topology, onHandled: OnHandled): Promise<BareConsumer> {
    const connection = await connectNats('bench:bus raw consumer');
    const consumer = new BareConsumer(connection, onHandled);
    try {
      const jsm = await connection.jetstreamManager();
      await jsm.consumers.add(topology.eventsStream, {
        durable_name: DURABLE,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: `${topology.eventPrefix}.accounts.PaymentReceived`,
        ack_wait: nanos(ACK_WAIT_MS),
        max_ack_pending: MAX_ACK_PENDING,
        max_deliver: -1,
      });
      consumer.loop = consumer.pull(await connection.jetstream().consumers.get(topology.eventsStream, DURABLE));
    } catch (error) {
      await consumer.stop();
      throw error;
    }
    return consumer;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.batch?.stop();
    await this.loop?.catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.connection.close().catch(() => undefined);
  }

  /** PullLoop's pattern: ask for as many events as there are free slots, hand each to a slot at once. */
  private async pull(consumer: Consumer): Promise<void> {
    while (!this.stopping) {
      while (this.inFlight.size >= CONCURRENCY) await Promise.race(this.inFlight);
      const batch = await consumer.fetch({ max_messages: CONCURRENCY - this.inFlight.size, expires: FETCH_EXPIRES_MS });
      this.batch = batch;
      if (this.stopping) batch.stop();
      for await (const msg of batch) {
        const handling: Promise<void> = this.handle(msg).finally(() => this.inFlight.delete(handling));
        this.inFlight.add(handling);
      }
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    msg.json();
    this.onHandled(msg.headers?.get(EventHeader.EVENT_ID) ?? '', msg);
    await msg.ackAck().catch(() => undefined);
  }
}
