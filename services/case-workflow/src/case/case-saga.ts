import { caseWorkflow, EventCatalog } from '@arrears/contracts';
import type { SagaDefinition } from '@arrears/sagas';
import { evolve, initialState, type CaseEvent, type CaseState } from './domain/case-state';
import type { WorkflowPolicy } from './domain/policy';
import { CASE_OWNER, caseReactor } from './domain/react';
import { readEvent } from './domain/signals';

export const CASE_EVENT_CATALOG = new EventCatalog(caseWorkflow.CASE_EVENTS);

/** The case saga as the runtime runs it: stream `case-<accountId>`, the rules of `domain/react.ts` under a policy. */
export function caseSaga(policy: WorkflowPolicy): SagaDefinition<CaseState, CaseEvent> {
  return {
    name: CASE_OWNER,
    category: 'case',
    events: CASE_EVENT_CATALOG,
    initialState,
    evolve,
    correlate: (event) => readEvent(event)?.caseId,
    react: caseReactor(policy),
  };
}
