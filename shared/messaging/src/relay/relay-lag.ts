import type { GlobalPosition } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import type { BatchObservableCallback, Meter } from '@opentelemetry/api';

/** How far JetStream is behind the store. */
export interface RelayLag {
  /** Events in the global log after the relay's position, counted up to the cap. */
  readonly events: number;
  /** `events` reached the cap: there are at least that many. */
  readonly capped: boolean;
  /** Age of the oldest event not yet published (its `recordedAt`), 0 when there is none. */
  readonly seconds: number;
}

export const DEFAULT_LAG_CAP = 1_000;

/**
 * Counts by reading the events after `position` through the port, up to `cap`: every adapter can answer it,
 * and the cap bounds what one measurement reads. It sees what a reader may see — in PostgreSQL nothing at or
 * past the oldest running transaction — which is exactly what the relay could publish next.
 */
export async function measureLag(store: EventStore, position: GlobalPosition | undefined, cap = DEFAULT_LAG_CAP, now = Date.now()): Promise<RelayLag> {
  const pending = await store.readAll({ ...(position === undefined ? {} : { after: position }), maxCount: cap });
  const oldest = pending[0];
  return {
    events: pending.length,
    capped: pending.length >= cap,
    seconds: oldest === undefined ? 0 : Math.max(0, (now - Date.parse(oldest.recordedAt)) / 1_000),
  };
}

export interface RelayGaugeSource {
  readonly name: string;
  lag(): Promise<RelayLag>;
  isLeader(): boolean;
}

/**
 * `arrears.relay.lag.events`, `arrears.relay.lag.seconds` and `arrears.relay.leader` (1 on the instance that
 * publishes), each with the relay's name as `arrears.relay.name`. Returns the function that unregisters them.
 */
export function observeRelay(meter: Meter, source: RelayGaugeSource): () => void {
  const lagEvents = meter.createObservableGauge('arrears.relay.lag.events', {
    description: "Events in the store's global log not yet published to JetStream (counted up to a cap)",
    unit: '{event}',
  });
  const lagSeconds = meter.createObservableGauge('arrears.relay.lag.seconds', {
    description: 'Age of the oldest event not yet published to JetStream',
    unit: 's',
  });
  const leader = meter.createObservableGauge('arrears.relay.leader', { description: '1 on the relay instance that holds the leadership, else 0' });
  const attributes = { 'arrears.relay.name': source.name };
  const callback: BatchObservableCallback = async (result) => {
    result.observe(leader, source.isLeader() ? 1 : 0, attributes);
    // A store that cannot be reached leaves the lag unreported rather than reported as a reassuring 0.
    const lag = await source.lag().catch(() => undefined);
    if (lag === undefined) return;
    result.observe(lagEvents, lag.events, attributes);
    result.observe(lagSeconds, lag.seconds, attributes);
  };
  const observables = [lagEvents, lagSeconds, leader];
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
