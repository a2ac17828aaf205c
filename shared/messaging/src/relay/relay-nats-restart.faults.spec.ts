import { delay } from '@arrears/event-store';
import { createTestSchema, eventually, uniqueName, seededRandom } from '@arrears/testing';
import { appendLoad } from './testing/event-load';
import { deliveryReport, perfectDelivery } from './testing/jetstream-log';
import { RelayHarness } from './testing/relay-harness';
import { ThrowawayNats } from './testing/throwaway-nats';

const EVENTS = 8_000;
const RESTARTS = 2;
const SEED = Number(process.env['RELAY_FAULT_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

describe('Relay while nats-server is stopped and started again during a load (a throwaway server)', () => {
  let nats: ThrowawayNats;
  let harness: RelayHarness;

  beforeAll(async () => {
    nats = await ThrowawayNats.start();
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay_restart'), natsUrl: nats.url });
  });
  afterAll(async () => {
    await nats.start().catch(() => undefined);
    await harness.cleanup();
    await nats.destroy();
  });

  it('reconnects by itself; JetStream ends with every event exactly once, in per-stream order', async () => {
    process.stdout.write(`relay NATS restart faults: seed ${SEED} (RELAY_FAULT_SEED=${SEED} repeats the load and the fault delays)\n`);
    const random = seededRandom(SEED);
    const startedAt = Date.now();
    const retries: string[] = [];
    const relay = await harness.relay({
      publishing: { publishTimeoutMs: 1_000, maxRetryDelayMs: 500 },
      log: (level, message) => {
        if (level === 'warn' && message.startsWith('retrying NATS')) retries.push(message);
      },
    });
    relay.start();
    let loadDone = false;
    const load = appendLoad({ store: harness.store, total: EVENTS, streams: 300, writers: 3, maxBatch: 10, maxPauseMs: 40, random: seededRandom(SEED + 1) }).finally(
      () => (loadDone = true),
    );

    const outages: string[] = [];
    for (let n = 0; n < RESTARTS; n += 1) {
      await delay(1_000 + random() * 2_000);
      const before = relay.status().publishedCount;
      await nats.stop('SIGTERM');
      const downMs = Math.round(500 + random() * 2_000);
      await delay(downMs);
      await nats.start();
      outages.push(`down ${downMs} ms after ${before} published (load ${loadDone ? 'done' : 'running'})`);
    }
    expect(await load).toBe(EVENTS);

    const events = await harness.events();
    await eventually(async () => expect(await harness.checkpoints.read('relay')).toBe(events.at(-1)?.globalPosition), { timeoutMs: 60_000, intervalMs: 250 });
    const report = deliveryReport(await harness.messages(), events);
    process.stdout.write(
      `relay NATS restart faults: seed ${SEED}, ${outages.join('; ')}, ${retries.length} publish retries logged, ` +
        `${report.messages} messages for ${report.events} events, ${((Date.now() - startedAt) / 1_000).toFixed(1)} s\n`,
    );
    // The outages were felt, not dodged.
    expect(retries.length).toBeGreaterThan(0);
    expect(report).toEqual(perfectDelivery(events));
  }, 120_000);
});
