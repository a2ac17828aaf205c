import { metrics, trace } from '@opentelemetry/api';
import { prometheusSample, startTestTelemetry } from './testing';
import { runningTelemetry, startTelemetry } from './telemetry';

describe('startTestTelemetry', () => {
  afterEach(async () => {
    await runningTelemetry()?.shutdown();
  });

  it('keeps ended spans in memory until reset', async () => {
    const telemetry = startTestTelemetry('payment-plans');
    trace.getTracer('test').startSpan('agree plan').end();
    expect((await telemetry.finishedSpans()).map((span) => span.name)).toEqual(['agree plan']);
    expect((await telemetry.finishedSpans())[0]?.resource.attributes['service.name']).toBe('payment-plans');

    await telemetry.reset();
    expect(await telemetry.finishedSpans()).toEqual([]);
  });

  it('collects the metrics recorded since the last collection or reset', async () => {
    const telemetry = startTestTelemetry();
    const missed = metrics.getMeter('test').createCounter('instalments_missed');
    missed.add(2, { plan: 'p-1' });

    const [scope] = (await telemetry.collectMetrics()).scopeMetrics;
    const [metric] = scope?.metrics ?? [];
    expect(metric?.descriptor.name).toBe('instalments_missed');
    expect(metric?.dataPoints.map((point) => [point.attributes['plan'], point.value])).toEqual([['p-1', 2]]);

    missed.add(1, { plan: 'p-1' });
    await telemetry.reset();
    const points = (await telemetry.collectMetrics()).scopeMetrics.flatMap((scopeMetrics) => scopeMetrics.metrics).flatMap((metric) => metric.dataPoints.length);
    expect(points.reduce((total, count) => total + count, 0)).toBe(0);
  });

  it('returns the running test telemetry when called again, and a fresh one after shutdown', async () => {
    const first = startTestTelemetry();
    expect(startTestTelemetry()).toBe(first);

    await first.shutdown();
    const second = startTestTelemetry();
    expect(second).not.toBe(first);
    trace.getTracer('test').startSpan('after restart').end();
    expect((await second.finishedSpans()).map((span) => span.name)).toEqual(['after restart']);
  });

  it('refuses to start over telemetry started without the in-memory exporter', () => {
    startTelemetry({ serviceName: 'accounts', env: {} });
    expect(() => startTestTelemetry()).toThrow('Telemetry is already running in this process without the in-memory exporter');
  });
});

describe('prometheusSample', () => {
  const text = [
    '# HELP arrears_dead_letters_total Events moved to the dead-letter stream, by consumer',
    '# TYPE arrears_dead_letters_total counter',
    'arrears_dead_letters_total{consumer="a__x",service_name="accounts"} 2',
    'arrears_dead_letters_total{consumer="a__y",service_name="accounts"} 3',
    'arrears_relay_lag_events 7',
    'arrears_compliance_blocks_total{rule="hold.say \\"stop\\""} 1',
  ].join('\n');

  it('reads one series by its labels, sums the series its labels leave open, and is undefined for none', () => {
    expect(prometheusSample(text, 'arrears_dead_letters_total', { consumer: 'a__y' })).toBe(3);
    expect(prometheusSample(text, 'arrears_dead_letters_total')).toBe(5);
    expect(prometheusSample(text, 'arrears_relay_lag_events')).toBe(7);
    expect(prometheusSample(text, 'arrears_compliance_blocks_total', { rule: 'hold.say "stop"' })).toBe(1);
    expect(prometheusSample(text, 'arrears_dead_letters_total', { consumer: 'a__z' })).toBeUndefined();
    expect(prometheusSample(text, 'arrears_dead_letters')).toBeUndefined();
  });
});
