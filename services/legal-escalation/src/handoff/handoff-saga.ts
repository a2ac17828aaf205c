import { EventCatalog, legalEscalation } from '@arrears/contracts';
import type { SagaDefinition } from '@arrears/sagas';
import { readEscalationRequested } from './domain/escalation-requested';
import { evolve, initialState, type HandoffState, type LegalEvent } from './domain/handoff-state';
import { handoffReactor, LEGAL_OWNER } from './domain/react';

export const LEGAL_EVENT_CATALOG = new EventCatalog(legalEscalation.LEGAL_EVENTS);

/**
 * The 48-hour handoff saga as the runtime runs it: stream `legal-<accountId>`, the rules of `domain/react.ts`. The
 * only event it correlates is case-workflow's LegalEscalationRequested (by its caseId); the supervisor's and legal's
 * commands, and the FixEvidence handler's RecordEvidence, come in by `onCommand(accountId, command)`.
 */
export function handoffSaga(): SagaDefinition<HandoffState, LegalEvent> {
  return {
    name: LEGAL_OWNER,
    category: 'legal',
    events: LEGAL_EVENT_CATALOG,
    initialState,
    evolve,
    correlate: (event) => readEscalationRequested(event)?.caseId,
    react: handoffReactor(),
  };
}
