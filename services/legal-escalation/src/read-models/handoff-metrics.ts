import { CachedProbe, observeBatch } from '@arrears/observability';
import { OPEN_ESCALATION_STATUSES, type EscalationStatus } from './entities';
import type { StatusCount } from './legal-queries';

const SCOPE = '@arrears/legal-escalation';

/** A scrape asks the read model at most this often. */
export const HANDOFF_GAUGE_MAX_AGE_MS = 5_000;

const OPEN: ReadonlySet<EscalationStatus> = new Set(OPEN_ESCALATION_STATUSES);

/**
 * `arrears_legal_handoffs_in_flight` (handoffs requested and not yet acknowledged or refused) and
 * `arrears_legal_handoffs_overdue` (of those, the ones past their 48-hour deadline: what the overdue-handoff runbook in
 * docs/operations.md starts from), from the read model's status counts, asked at most once per `maxAgeMs`;
 * unreported (not 0) while the read model cannot answer. Returns the function that stops observing.
 */
export function observeHandoffs(statusCounts: () => Promise<readonly StatusCount[]>, maxAgeMs = HANDOFF_GAUGE_MAX_AGE_MS): () => void {
  const probe = new CachedProbe(statusCounts, maxAgeMs);
  return observeBatch(
    SCOPE,
    (meter) => ({
      inFlight: meter.createObservableGauge('arrears.legal.handoffs.in_flight', { description: 'Legal handoffs requested and not yet acknowledged or refused', unit: '{handoff}' }),
      overdue: meter.createObservableGauge('arrears.legal.handoffs.overdue', { description: 'Legal handoffs in flight past their 48-hour deadline', unit: '{handoff}' }),
    }),
    async (result, { inFlight, overdue }) => {
      const counts = await probe.get().catch(() => undefined);
      if (counts === undefined) return;
      const open = counts.filter((count) => OPEN.has(count.status));
      result.observe(inFlight, open.reduce((sum, count) => sum + count.escalations, 0));
      result.observe(overdue, open.reduce((sum, count) => sum + count.overdue, 0));
    },
  );
}
