import { delay } from '@arrears/event-store';
import { createTestSchema, eventually, uniqueName, seededRandom } from '@arrears/testing';
import { natsUrl } from '../nats-connection';
import { appendLoad } from './testing/event-load';
import { deliveryReport, perfectDelivery } from './testing/jetstream-log';
import { RelayHarness } from './testing/relay-harness';
import { RelayProcess } from './testing/relay-process';

const EVENTS = 20_000;
const MIN_KILLS = 6;
const SEED = Number(process.env['RELAY_FAULT_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

describe('Relay killed with SIGKILL at random moments during a load', () => {
  let harness: RelayHarness;
  const processes: RelayProcess[] = [];

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay_kill') });
  });
  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await Promise.all(processes.map((child) => child.exited));
    await harness.cleanup();
  });

  function startRelay(): RelayProcess {
    const child = new RelayProcess(
      ['--name', 'killed', '--root', harness.topology.root, '--store-schema', harness.storeSchema.name, '--relay-schema', harness.relaySchema.name],
      { DATABASE_URL: harness.databaseUrl, NATS_URL: natsUrl() },
    );
    processes.push(child);
    return child;
  }

  it(`JetStream ends with each of ${EVENTS.toLocaleString('en-US')} events exactly once, in per-stream order`, async () => {
    process.stdout.write(`relay SIGKILL faults: seed ${SEED} (RELAY_FAULT_SEED=${SEED} repeats the load and the fault delays)\n`);
    const random = seededRandom(SEED);
    const startedAt = Date.now();
    let loadDone = false;
    const load = appendLoad({ store: harness.store, total: EVENTS, streams: 500, writers: 4, maxBatch: 15, maxPauseMs: 40, random: seededRandom(SEED + 1) }).finally(
      () => (loadDone = true),
    );

    const kills: string[] = [];
    let relay = startRelay();
    // Kills go on until the load is written and most of it published, so they land all along the way.
    while (!loadDone || kills.length < MIN_KILLS || (await harness.messageCount()) < EVENTS * 0.9) {
      await Promise.race([relay.leading, relay.exited]);
      if (!relay.running) throw new Error(`The relay exited on its own:\n${relay.tail()}`);
      // A random moment while it publishes: the backlog from its downtime, then the live load.
      const after = Math.round(random() * 1_500);
      await delay(after);
      relay.kill('SIGKILL');
      await relay.exited;
      kills.push(`${after} ms after leading (${await harness.messageCount()} in JetStream)`);
      relay = startRelay();
    }
    expect(await load).toBe(EVENTS);

    const events = await harness.events();
    const last = events.at(-1)?.globalPosition;
    // The last one runs undisturbed to the end, then stops cleanly on SIGTERM.
    await relay.leading;
    await eventually(async () => expect(await harness.checkpoints.read('killed')).toBe(last), { timeoutMs: 60_000, intervalMs: 250 });
    relay.kill('SIGTERM');
    expect(await relay.exited).toBe(0);

    const report = deliveryReport(await harness.messages(), events);
    process.stdout.write(
      `relay SIGKILL faults: seed ${SEED}, ${kills.length} kills (${kills.join('; ')}), ${report.messages} messages for ${report.events} events, ` +
        `${((Date.now() - startedAt) / 1_000).toFixed(1)} s\n`,
    );
    expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(report).toEqual(perfectDelivery(events));
  }, 150_000);
});
