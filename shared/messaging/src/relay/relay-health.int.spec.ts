import { PostgresEventStore } from '@arrears/event-store';
import { prometheusSample, startTestTelemetry } from '@arrears/observability';
import { createTestSchema, eventually, newEvents, uniqueName, uniqueStream } from '@arrears/testing';
import { startHealthServer, type HealthServer } from './health-server';
import { PostgresLeaderLock } from './leader-lock';
import type { RelayHealth } from './relay';
import { RelayHarness } from './testing/relay-harness';

describe('Relay lag: gauges and GET /health', () => {
  let harness: RelayHarness;
  let server: HealthServer | undefined;
  const telemetry = startTestTelemetry('relay-test');
  beforeEach(async () => {
    await telemetry.reset();
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay') });
  });
  afterAll(() => telemetry.shutdown());
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await harness.cleanup();
  });

  async function health(): Promise<{ status: number; body: RelayHealth }> {
    const response = await fetch(`http://127.0.0.1:${server?.port}/health`);
    return { status: response.status, body: (await response.json()) as RelayHealth };
  }

  /** `GET /metrics` on the same port: the Prometheus text a scrape gets. */
  async function scrape(): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${server?.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return response.text();
  }

  it('a standby reports how far JetStream is behind; once it leads, the lag drops to 0', async () => {
    // Someone else holds the leadership, so the relay under test waits as a standby with a backlog.
    const holder = new PostgresLeaderLock({ connectionString: harness.databaseUrl, namespace: harness.relaySchema.name });
    const held = await holder.acquire('relay', new AbortController().signal);
    for (let n = 0; n < 5; n += 1) await harness.store.appendToStream(uniqueStream('contact'), newEvents(5), { expectedVersion: 'no_stream' });
    const relay = await harness.relay({ lagCap: 20 });
    server = await startHealthServer(relay, 0, '127.0.0.1');
    relay.start();

    await eventually(async () => {
      const { status, body } = await health();
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', active: 'standby', checkpoint: null, lagEvents: 20, lagEventsCapped: true, lastPublishedAt: null });
      expect(body.lagSeconds).toBeGreaterThan(0);
    });
    const standby = await telemetry.metricValues();
    expect(standby.get('arrears.relay.lag.events')).toBe(20);
    expect(standby.get('arrears.relay.lag.seconds')).toBeGreaterThan(0);
    expect(standby.get('arrears.relay.leader')).toBe(0);
    const standbyScrape = await scrape();
    const relayLabels = { arrears_relay_name: 'relay', service_name: 'relay-test' };
    expect(prometheusSample(standbyScrape, 'arrears_relay_lag_events', relayLabels)).toBe(20);
    expect(prometheusSample(standbyScrape, 'arrears_relay_leader', relayLabels)).toBe(0);

    await held?.release();
    const events = await harness.events();
    await eventually(async () => {
      const { status, body } = await health();
      expect(status).toBe(200);
      expect(body).toMatchObject({ active: 'leader', lagEvents: 0, lagEventsCapped: false, lagSeconds: 0, published: events.at(-1)?.globalPosition });
      expect(body.lastPublishedAt).not.toBeNull();
    });
    // Scraped before the in-memory reader's last collections: the SDK hands a gauge value one reader collected to the
    // other reader's next collection too, so a scrape after the stop would bring the last lag back to the check below.
    const leadingScrape = await scrape();
    expect(prometheusSample(leadingScrape, 'arrears_relay_lag_events', relayLabels)).toBe(0);
    expect(prometheusSample(leadingScrape, 'arrears_relay_leader', relayLabels)).toBe(1);
    expect(prometheusSample(leadingScrape, 'arrears_relay_published_total', relayLabels)).toBe(25);
    await eventually(async () => {
      const leading = await telemetry.metricValues();
      expect([leading.get('arrears.relay.lag.events'), leading.get('arrears.relay.lag.seconds'), leading.get('arrears.relay.leader')]).toEqual([0, 0, 1]);
    });
    await relay.stop();
    // Stopped, it no longer reports: its gauge callback is gone.
    expect((await telemetry.metricValues()).has('arrears.relay.lag.events')).toBe(false);
  });

  it('answers 503, naming the problem, when the event store cannot be reached', async () => {
    const unreachable = new PostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres', schema: harness.storeSchema.name });
    const relay = await harness.relay({ store: unreachable });
    server = await startHealthServer(relay, 0, '127.0.0.1');
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'unavailable', lagEvents: null });
    expect(body.problems).toEqual([expect.stringMatching(/^event store: /)]);
    await unreachable.close();
  });
});
