import type { caseWorkflow, EventEnvelope } from '@arrears/contracts';
import { unreachable } from './decode';

export interface ChecklistItemView {
  readonly status: 'open' | 'done' | 'missed';
  readonly dueAt: string | null;
  /** The signal that met it, and when. */
  readonly doneBy: string | null;
  readonly doneAt: string | null;
}

export interface WorkflowView {
  readonly opened: boolean;
  readonly openedAt: string | null;
  readonly stage: caseWorkflow.Stage | null;
  /** The stage entries so far, this one included: checklist events name the entry they belong to. */
  readonly entry: number;
  readonly enteredAt: string | null;
  readonly stageReason: string | null;
  readonly closeReason: string | null;
  /** The current stage's checklist, by item. */
  readonly checklist: Readonly<Record<string, ChecklistItemView>>;
  /** Deadlines missed over the whole case, every stage entry. */
  readonly deadlinesMissed: number;
  /** Who holds the case: the roster's word alone (CaseAssigned, CaseUnassigned, CaseReleased), as in case-workflow's read models. */
  readonly collector: string | null;
  readonly assignment: {
    readonly status: 'unassigned' | 'assigned' | 'queued' | 'released';
    readonly reason: caseWorkflow.AssignmentReason | null;
    readonly score: number | null;
    readonly outcome: 'success' | 'failure' | 'neutral' | null;
  };
  readonly sagaCommands: { readonly issued: number; readonly refused: number };
}

export function initialWorkflow(): WorkflowView {
  return {
    opened: false,
    openedAt: null,
    stage: null,
    entry: 0,
    enteredAt: null,
    stageReason: null,
    closeReason: null,
    checklist: {},
    deadlinesMissed: 0,
    collector: null,
    assignment: { status: 'unassigned', reason: null, score: null, outcome: null },
    sagaCommands: { issued: 0, refused: 0 },
  };
}

/** A checklist event of an earlier stage entry (a late timer, say) changes nothing in the current checklist. */
function withItem(view: WorkflowView, entry: number, item: string, change: (current: ChecklistItemView) => ChecklistItemView): WorkflowView {
  if (entry !== view.entry) return view;
  const current = view.checklist[item] ?? { status: 'open', dueAt: null, doneBy: null, doneAt: null };
  return { ...view, checklist: { ...view.checklist, [item]: change(current) } };
}

type WorkflowEvent = Exclude<caseWorkflow.CaseEvent | caseWorkflow.RosterEvent, { type: 'LegalEscalationRequested' | 'LegalEscalationHeld' }>;

export function evolveWorkflow(view: WorkflowView, event: WorkflowEvent, envelope: EventEnvelope): WorkflowView {
  switch (event.type) {
    case 'CaseOpened':
      return { ...view, opened: true, openedAt: envelope.occurredAt };
    case 'StageEntered': {
      const { stage, entry, reason, closeReason, checklist } = event.data;
      return {
        ...view,
        stage,
        entry,
        enteredAt: envelope.occurredAt,
        stageReason: reason,
        closeReason: closeReason ?? null,
        checklist: Object.fromEntries(checklist.map(({ item, dueAt }) => [item, { status: 'open' as const, dueAt: dueAt ?? null, doneBy: null, doneAt: null }])),
      };
    }
    case 'ChecklistItemDone':
      return withItem(view, event.data.entry, event.data.item, (item) => ({ ...item, status: 'done', doneBy: event.data.by, doneAt: event.data.at }));
    case 'ChecklistDeadlineSet':
      return withItem(view, event.data.entry, event.data.item, (item) => ({ ...item, dueAt: event.data.dueAt }));
    case 'DeadlineMissed':
      return { ...withItem(view, event.data.entry, event.data.item, (item) => ({ ...item, status: 'missed', dueAt: event.data.dueAt })), deadlinesMissed: view.deadlinesMissed + 1 };
    case 'CaseAssigned':
      return { ...view, collector: event.data.collectorId, assignment: { status: 'assigned', reason: event.data.reason, score: event.data.score, outcome: null } };
    case 'CaseUnassigned':
      return { ...view, collector: null, assignment: { status: 'queued', reason: event.data.reason, score: null, outcome: null } };
    case 'CaseReleased':
      return { ...view, assignment: { ...view.assignment, status: 'released', outcome: event.data.outcome } };
    case 'SagaCommandIssued':
      return { ...view, sagaCommands: { ...view.sagaCommands, issued: view.sagaCommands.issued + 1 } };
    case 'SagaCommandRefused':
      return { ...view, sagaCommands: { ...view.sagaCommands, refused: view.sagaCommands.refused + 1 } };
    case 'CaseSignalRecorded': // what the saga learnt from other services: their own events are replayed here themselves
    case 'SagaTimerSet':
    case 'SagaTimerCleared':
    case 'CollectorRegistered': // the roster's own book-keeping, no case's
    case 'CollectorUpdated':
    case 'CollectorAvailabilityChanged':
      return view;
    default:
      return unreachable(event);
  }
}
