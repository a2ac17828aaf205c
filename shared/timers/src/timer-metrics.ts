import { CachedProbe, lazyInstruments, observeBatch } from '@arrears/observability';

const SCOPE = '@arrears/timers';

/** A scrape counts the due timers in PostgreSQL at most this often. */
export const TIMER_BACKLOG_MAX_AGE_MS = 5_000;

/** `arrears_timers_fired_total{service}`: timers whose handler succeeded and that were marked fired. */
export const timerMetrics = lazyInstruments(SCOPE, (meter) => ({
  fired: meter.createCounter('arrears.timers.fired', { description: 'Timers fired (their handler succeeded), by owning service', unit: '{timer}' }),
}));

/**
 * `arrears_timer_backlog{service}`: the owner's timers due and not yet fired, counted at most once per
 * `maxAgeMs` however often it is scraped; unreported (not 0) while PostgreSQL cannot answer. Returns the function
 * that stops observing.
 */
export function observeTimerBacklog(service: string, countDue: () => Promise<number>, maxAgeMs = TIMER_BACKLOG_MAX_AGE_MS): () => void {
  const probe = new CachedProbe(countDue, maxAgeMs);
  return observeBatch(
    SCOPE,
    (meter) => ({ backlog: meter.createObservableGauge('arrears.timer.backlog', { description: 'Timers due and not yet fired (waiting, backing off or parked), by owning service', unit: '{timer}' }) }),
    async (result, { backlog }) => {
      const due = await probe.get().catch(() => undefined);
      if (due !== undefined) result.observe(backlog, due, { service });
    },
  );
}
