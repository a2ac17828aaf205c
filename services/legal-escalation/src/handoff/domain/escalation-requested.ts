import { caseWorkflow, EventCatalog, streamCategory, type EventEnvelope } from '@arrears/contracts';

type Requested = Extract<caseWorkflow.CaseEvent, { type: 'LegalEscalationRequested' }>['data'];

const CASE_EVENTS = new EventCatalog(caseWorkflow.CASE_EVENTS);

/**
 * The one event of another service the handoff saga takes: case-workflow's `LegalEscalationRequested`, from a case
 * stream (`case-<accountId>`), read in its current schema. Anything else is not for this saga.
 */
export function readEscalationRequested(event: EventEnvelope): Requested | undefined {
  if (streamCategory(event.streamId) !== 'case' || event.type !== 'LegalEscalationRequested') return undefined;
  const decoded = CASE_EVENTS.decode(event);
  return decoded.type === 'LegalEscalationRequested' ? decoded.data : undefined;
}
