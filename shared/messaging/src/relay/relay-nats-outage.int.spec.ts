import { createTestSchema, eventually, newEvents, uniqueName, uniqueStream } from '@arrears/testing';
import { perfectDelivery } from './testing/jetstream-log';
import { RelayHarness } from './testing/relay-harness';
import { ThrowawayNats } from './testing/throwaway-nats';

describe('Relay while NATS is away (a throwaway nats-server, never the machine one)', () => {
  let nats: ThrowawayNats;
  let harness: RelayHarness;

  beforeEach(async () => {
    nats = await ThrowawayNats.start();
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay'), natsUrl: nats.url });
  });
  afterEach(async () => {
    await nats.start();
    await harness.cleanup();
    await nats.destroy();
  });

  it('retries from the last acknowledged event, reports NATS as unreachable, and skips nothing once it is back', async () => {
    const relay = await harness.relay({ publishing: { publishTimeoutMs: 500, maxRetryDelayMs: 200 }, checkpointBatching: { intervalMs: 50 } });
    relay.start();
    await harness.store.appendToStream(uniqueStream('promise'), newEvents(10), { expectedVersion: 'no_stream' });
    await eventually(async () => expect(await harness.messageCount()).toBe(10));
    const acknowledged = (await harness.events()).at(-1)?.globalPosition;

    await nats.stop();
    for (let n = 0; n < 4; n += 1) await harness.store.appendToStream(uniqueStream('promise'), newEvents(5), { expectedVersion: 'no_stream' });
    await eventually(() => expect(relay.status().lastError).toMatch(/^NATS: /), { timeoutMs: 15_000 });
    const away = await relay.health();
    expect(away).toMatchObject({ status: 'unavailable', active: 'leader', lagEvents: 20 });
    expect(away.problems).toEqual([expect.stringMatching(/^NATS: /)]);
    expect(relay.status().publishedCount).toBe(10);
    // Many checkpoint intervals have passed since the first failed attempt: the checkpoint still waits for an ack.
    expect(await harness.checkpoints.read('relay')).toBe(acknowledged);

    await nats.start();
    const events = await harness.events();
    await eventually(async () => expect(await harness.messageCount()).toBe(30), { timeoutMs: 20_000 });
    expect(await harness.report()).toEqual(perfectDelivery(events));
    await eventually(async () => expect(await relay.health()).toMatchObject({ status: 'ok', lagEvents: 0 }));
  }, 60_000);
});
