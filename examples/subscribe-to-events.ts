// An internal system's durable subscription to Arrears events (docs/subscribing.md):
//   npm run example:subscribe -- --subject 'arrears.evt.promises-to-pay.>' --from 2026-11-01T00:00:00Z --durable risk-engine
// It prints each event as one JSON line, acknowledging it only after handling it; stop it and start it again
// with the same --durable name and it carries on where it stopped.
import { parseArgs } from 'node:util';
import { messageToEvent, natsTopology } from '@arrears/contracts';
import { AckPolicy, connect, DeliverPolicy, type ConsumerConfig } from 'nats';

const { values } = parseArgs({
  options: {
    subject: { type: 'string', default: 'arrears.evt.>' },
    durable: { type: 'string', default: 'example-subscriber' },
    // 'start' (all history), 'new' (only what arrives from now), an ISO time, or a stream sequence number
    from: { type: 'string', default: 'start' },
    max: { type: 'string' },
    root: { type: 'string', default: 'arrears' },
    server: { type: 'string', default: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' },
  },
});

function startingPoint(from: string): Partial<ConsumerConfig> {
  if (from === 'start') return { deliver_policy: DeliverPolicy.All };
  if (from === 'new') return { deliver_policy: DeliverPolicy.New };
  if (/^\d+$/.test(from)) return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(from) };
  return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(from).toISOString() };
}

async function main(): Promise<void> {
  const stream = natsTopology(values.root).eventsStream;
  const nc = await connect({ servers: values.server, name: `example:${values.durable}` });
  const jsm = await nc.jetstreamManager();
  // A durable consumer is created once; later runs find it and resume from its acknowledged position.
  const existing = await jsm.consumers.info(stream, values.durable).catch(() => undefined);
  if (existing === undefined) {
    await jsm.consumers.add(stream, {
      durable_name: values.durable,
      filter_subject: values.subject,
      ack_policy: AckPolicy.Explicit,
      ...startingPoint(values.from),
    });
  }
  const consumer = await nc.jetstream().consumers.get(stream, values.durable);
  const limit = values.max === undefined ? Number.POSITIVE_INFINITY : Number(values.max);
  let handled = 0;
  const messages = await consumer.consume({ max_messages: 100 });
  const stop = () => void messages.close();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  for await (const message of messages) {
    const event = messageToEvent((name) => message.headers?.get(name), message.string());
    process.stdout.write(`${JSON.stringify({ subject: message.subject, sequence: message.seq, event })}\n`);
    message.ack();
    if (++handled >= limit) break;
  }
  await nc.drain();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
