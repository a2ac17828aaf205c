/**
 * The consumer of one path as a process of its own, as a service runs apart from the one that writes: started by
 * `ConsumerProcess` with `node --import tsx consumer-main.ts <arrears|raw> <topology root>`. It keeps every event's
 * handling time and hands them over only when asked, between measured windows, so the measurement costs the
 * consumer nothing while it is timed.
 */
import { natsTopology } from '@arrears/contracts';
import type { JsMsg } from 'nats';
import { BareConsumer } from './bare-consumer';
import type { ConsumerReply, ConsumerRequest, HandledRecord } from './consumer-process';
import { startNestConsumer } from './nest-consumer';
import { now, storedAtOf } from './tracker';

let handled: HandledRecord[] = [];

function record(eventId: string, msg: JsMsg): void {
  handled.push([eventId, now(), storedAtOf(msg.info)]);
}

function send(reply: ConsumerReply): void {
  process.send?.(reply);
}

async function main(): Promise<void> {
  const [kind, root] = process.argv.slice(2);
  if ((kind !== 'arrears' && kind !== 'raw') || root === undefined) throw new Error('usage: consumer-main.ts <arrears|raw> <topology root>');
  const topology = natsTopology(root);
  const close: () => Promise<void> =
    kind === 'arrears' ? await startNestConsumer(topology, record).then((app) => () => app.close()) : await BareConsumer.start(topology, record).then((consumer) => () => consumer.stop());
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= close());
  process.on('message', (request: ConsumerRequest) => {
    if (request.type === 'collect') {
      send({ type: 'handled', id: request.id, records: handled });
      handled = [];
    } else if (request.type === 'stop') {
      void stop().finally(() => process.exit(0));
    }
  });
  // The benchmark went away without stopping us (killed): leave no consumer running.
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
