import { nanos, type NatsConnection } from 'nats';
import { testTopology } from './consumers/testing/nats-fixtures';
import { deleteStreams, ensureStreams } from './jetstream-setup';
import { connectNats } from './nats-connection';

// Every process calls ensureStreams at start: a service (saying nothing) must not undo what the relay or an operator
// set on an existing stream — its retention, its de-duplication window, its replicas.
describe('ensureStreams', () => {
  let nc: NatsConnection;
  const topology = testTopology();

  beforeAll(async () => {
    nc = await connectNats('jetstream-setup.int.spec');
  });

  afterAll(async () => {
    await deleteStreams(await nc.jetstreamManager(), topology);
    await nc.drain();
  });

  it('creates both streams with the settings given and the defaults for the rest', async () => {
    const jsm = await nc.jetstreamManager();
    await ensureStreams(jsm, topology, { maxAgeMs: 3_600_000 });
    const events = await jsm.streams.info(topology.eventsStream);
    expect(events.config).toMatchObject({ subjects: [`${topology.eventPrefix}.>`], max_age: nanos(3_600_000), num_replicas: 1, duplicate_window: nanos(600_000) });
    const deadLetters = await jsm.streams.info(topology.deadLetterStream);
    expect(deadLetters.config).toMatchObject({ subjects: [`${topology.deadLetterPrefix}.>`], max_age: 0 });
  });

  it('leaves what a later call does not say as it was, and changes what it does', async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.update(topology.eventsStream, { duplicate_window: nanos(120_000) }); // an operator's edit
    await ensureStreams(jsm, topology); // a service starting
    expect((await jsm.streams.info(topology.eventsStream)).config).toMatchObject({ max_age: nanos(3_600_000), duplicate_window: nanos(120_000) });

    await ensureStreams(jsm, topology, { maxAgeMs: 0, duplicateWindowMs: 300_000 }); // the relay, reconfigured
    expect((await jsm.streams.info(topology.eventsStream)).config).toMatchObject({ max_age: 0, duplicate_window: nanos(300_000) });
    expect((await jsm.streams.info(topology.deadLetterStream)).config).toMatchObject({ max_age: 0, duplicate_window: nanos(300_000) });
  });
});
