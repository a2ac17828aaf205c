import type { EventEnvelope } from '@arrears/contracts';
import { createTestSchema, eventually, newEvents, uniqueName, uniqueStream } from '@arrears/testing';
import { ensureStreams } from '../jetstream-setup';
import { main } from './relay-cli';
import { perfectDelivery } from './testing/jetstream-log';
import { RelayHarness } from './testing/relay-harness';

describe('Relay replay: publishing a range of the log again', () => {
  let harness: RelayHarness;
  let events: EventEnvelope[];

  beforeEach(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay') });
    for (let n = 0; n < 3; n += 1) await harness.store.appendToStream(uniqueStream('legal'), newEvents(10), { expectedVersion: 'no_stream' });
    const relay = await harness.relay();
    relay.start();
    await eventually(async () => expect(await harness.messageCount()).toBe(30));
    await relay.stop();
    events = await harness.events();
  });
  afterEach(() => harness.cleanup());

  /** JetStream lost the stream (deleted, or its storage with it): the relay's checkpoint says all is published. */
  async function loseTheStream(): Promise<void> {
    await harness.jsm.streams.delete(harness.topology.eventsStream);
    await ensureStreams(harness.jsm, harness.topology);
  }

  it('refills a lost stream in log order and leaves the checkpoint alone', async () => {
    const checkpoint = await harness.checkpoints.read('relay');
    await loseTheStream();
    const relay = await harness.relay();
    const summary = await relay.replayRange('start');
    expect(summary).toMatchObject({ published: 30, duplicates: 0, complete: true, first: events[0]?.globalPosition, last: events[29]?.globalPosition });
    expect(await harness.report()).toEqual(perfectDelivery(events));
    expect(await harness.checkpoints.read('relay')).toBe(checkpoint);
  });

  it('publishes the range from --from to --to inclusive; JetStream drops what it still has within its duplicate window', async () => {
    const relay = await harness.relay();
    const summary = await relay.replayRange(events[10]!.globalPosition, events[19]!.globalPosition);
    expect(summary).toMatchObject({ published: 10, duplicates: 10, first: events[10]?.globalPosition, last: events[19]?.globalPosition });
    expect(await harness.messageCount()).toBe(30);
  });

  it('npm run arrears -- relay replay: up to the relay checkpoint by default, then a summary', async () => {
    await loseTheStream();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: { write: (text: string) => out.push(text) }, err: { write: (text: string) => err.push(text) } };
    const where = ['--root', harness.topology.root, '--store-schema', harness.storeSchema.name, '--relay-schema', harness.relaySchema.name];

    expect(await main(['replay', '--from', events[5]!.globalPosition, '--name', 'relay', ...where], io)).toBe(0);
    expect(out.join('')).toMatch(/^Replayed .* 25 events published, 25 stored again, 0 dropped by JetStream as duplicates/);
    expect(err.join('')).toContain(`to ${events[29]?.globalPosition} into ${harness.topology.eventsStream}`);
    expect((await harness.messages()).map((message) => message.eventId)).toEqual(events.slice(5).map((event) => event.eventId));

    err.length = 0;
    expect(await main(['replay', '--from', 'yesterday', ...where], io)).toBe(2);
    expect(err.join('')).toContain('--from must be a global position');
    expect(await main(['replay', '--from', 'start', '--name', 'never-ran', ...where], io)).toBe(2);
    expect(err.join('')).toContain('Relay never-ran has no checkpoint');
  });
});
