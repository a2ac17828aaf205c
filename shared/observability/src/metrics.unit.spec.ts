import { metrics } from '@opentelemetry/api';
import { CachedProbe, lazyInstruments, observeBatch } from './metrics';
import { renderMetrics, runningTelemetry, startTelemetry } from './telemetry';

describe('Prometheus metrics of the running telemetry', () => {
  afterEach(async () => {
    await runningTelemetry()?.shutdown();
  });

  it('renders counters with _total, gauges and histograms, each series labelled with the service name', async () => {
    const telemetry = startTelemetry({ serviceName: 'accounts', env: { OTEL_METRICS_EXPORTER: 'none', OTEL_TRACES_EXPORTER: 'none' } });
    const meter = metrics.getMeter('test');
    meter.createCounter('arrears.dead_letters').add(2, { consumer: 'accounts__read-models' });
    meter.createHistogram('arrears.command.duration.seconds', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } }).record(0.5, { command: 'PlaceAccount', outcome: 'ok' });
    let observed = 0;
    const unobserve = observeBatch('test', (m) => ({ backlog: m.createObservableGauge('arrears.timer.backlog') }), (result, { backlog }) => {
      observed += 1;
      result.observe(backlog, 3, { service: 'accounts' });
    });
    meter.createObservableGauge('arrears.relay.lag.events').addCallback((result) => result.observe(7));

    const text = await telemetry.renderMetrics();
    unobserve();
    await telemetry.renderMetrics();
    expect(observed).toBe(1);

    expect(text).toContain('# TYPE arrears_dead_letters_total counter');
    expect(text).toContain('arrears_dead_letters_total{consumer="accounts__read-models",service_name="accounts"} 2');
    expect(text).toContain('# TYPE arrears_command_duration_seconds histogram');
    expect(text).toContain('arrears_command_duration_seconds_bucket{command="PlaceAccount",outcome="ok",service_name="accounts",le="1"} 1');
    expect(text).toContain('arrears_command_duration_seconds_bucket{command="PlaceAccount",outcome="ok",service_name="accounts",le="0.1"} 0');
    expect(text).toContain('arrears_command_duration_seconds_count{command="PlaceAccount",outcome="ok",service_name="accounts"} 1');
    expect(text).toContain('arrears_relay_lag_events{service_name="accounts"} 7');
    expect(text).toContain('arrears_timer_backlog{service="accounts",service_name="accounts"} 3');
    expect(text).not.toContain('otel_scope_name');
  });

  it('is undefined while no telemetry runs', () => {
    expect(renderMetrics()).toBeUndefined();
  });

  it('lazy instruments follow the registered provider: a restart records into the new one', async () => {
    const counter = lazyInstruments('test', (meter) => meter.createCounter('arrears.timers.fired'));
    const first = startTelemetry({ serviceName: 'promises-to-pay', env: {} });
    counter().add(1);
    expect(await first.renderMetrics()).toContain('arrears_timers_fired_total{service_name="promises-to-pay"} 1');
    await first.shutdown();

    const second = startTelemetry({ serviceName: 'promises-to-pay', env: {} });
    counter().add(3);
    expect(await second.renderMetrics()).toContain('arrears_timers_fired_total{service_name="promises-to-pay"} 3');
  });
});

describe('CachedProbe', () => {
  function probe(maxAgeMs: number) {
    let clock = 0;
    let calls = 0;
    let fail = false;
    const cached = new CachedProbe(
      async () => {
        calls += 1;
        if (fail) throw new Error('NATS is away');
        return calls;
      },
      maxAgeMs,
      () => clock,
    );
    return {
      cached,
      calls: () => calls,
      advance: (ms: number) => (clock += ms),
      failing: (value: boolean) => (fail = value),
    };
  }

  it('fetches once per interval however often it is asked, concurrent asks included', async () => {
    const { cached, calls, advance } = probe(5_000);
    expect(await Promise.all([cached.get(), cached.get(), cached.get()])).toEqual([1, 1, 1]);
    advance(4_999);
    expect(await cached.get()).toBe(1);
    advance(1);
    expect(await cached.get()).toBe(2);
    expect(calls()).toBe(2);
  });

  it('does not keep a failure: the next ask fetches again', async () => {
    const { cached, calls, failing } = probe(5_000);
    failing(true);
    await expect(cached.get()).rejects.toThrow('NATS is away');
    failing(false);
    expect(await cached.get()).toBe(2);
    expect(calls()).toBe(2);
  });
});
