import type { accounts, caseWorkflow } from '@arrears/contracts';

export type CaseEvent = caseWorkflow.CaseEvent;
type Stage = caseWorkflow.Stage;
type Item = caseWorkflow.ChecklistItem;

export interface ChecklistEntry {
  readonly dueAt?: string;
  readonly status: 'open' | 'done' | 'missed';
}

/** One case, as the saga's own stream (`case-<accountId>`) tells it. */
export interface CaseState {
  readonly opened: boolean;
  readonly accountId: string;
  readonly dueDate: string;
  readonly profile?: caseWorkflow.CaseProfile;
  readonly stage?: Stage;
  /** Why the case closed, while it is closed. */
  readonly closeReason?: string;
  /** Stage visits so far; timers name the visit they guard. */
  readonly entry: number;
  readonly checklist: Readonly<Partial<Record<Item, ChecklistEntry>>>;
  /** Deadlines missed in this visit. */
  readonly missedInVisit: number;
  readonly collectorId?: string;
  readonly flags: readonly accounts.Flag[];
  readonly planDefaults: number;
  /** The accepted plan still running (neither completed, defaulted nor cancelled), if any. */
  readonly runningPlan?: string;
  readonly wilfulDefault?: { readonly by: string; readonly reason: string };
  readonly openPromises: readonly string[];
  readonly legal: 'none' | 'requested' | 'held';
  readonly heldFor: readonly accounts.Flag[];
}

export function initialState(): CaseState {
  return { opened: false, accountId: '', dueDate: '', entry: 0, checklist: {}, missedInVisit: 0, flags: [], planDefaults: 0, openPromises: [], legal: 'none', heldFor: [] };
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'CaseOpened':
      return { ...state, opened: true, accountId: event.data.accountId, dueDate: event.data.dueDate, profile: event.data.profile };
    case 'CaseSignalRecorded':
      return signalled(state, event.data);
    case 'StageEntered':
      return {
        ...state,
        stage: event.data.stage,
        closeReason: event.data.closeReason,
        entry: event.data.entry,
        missedInVisit: 0,
        checklist: Object.fromEntries(event.data.checklist.map(({ item, dueAt }) => [item, { ...(dueAt === undefined ? {} : { dueAt }), status: 'open' as const }])),
      };
    case 'ChecklistItemDone':
      return withItem(state, event.data.entry, event.data.item, (entry) => ({ ...entry, status: 'done' }));
    case 'ChecklistDeadlineSet':
      return withItem(state, event.data.entry, event.data.item, (entry) => ({ ...entry, dueAt: event.data.dueAt }));
    case 'DeadlineMissed':
      return { ...withItem(state, event.data.entry, event.data.item, (entry) => ({ ...entry, status: 'missed' })), missedInVisit: state.missedInVisit + 1 };
    case 'LegalEscalationRequested':
      return { ...state, legal: 'requested' };
    case 'LegalEscalationHeld':
      return { ...state, legal: 'held', heldFor: event.data.holds };
    default:
      return state; // the saga's effects change nothing it decides on
  }
}

function signalled(state: CaseState, data: Extract<CaseEvent, { type: 'CaseSignalRecorded' }>['data']): CaseState {
  const { detail } = data;
  const profile = state.profile;
  switch (data.signal) {
    case 'assigned':
      return detail.collectorId === undefined ? state : { ...state, collectorId: detail.collectorId };
    case 'bucket-changed':
      return profile && detail.bucket ? { ...state, profile: { ...profile, bucket: detail.bucket } } : state;
    case 'tier-changed':
      return profile && detail.tier ? { ...state, profile: { ...profile, tier: detail.tier } } : state;
    case 'payment':
      return profile && detail.balance !== undefined ? { ...state, profile: { ...profile, balance: detail.balance } } : state;
    case 'flagged':
      return detail.flag ? { ...state, flags: [...state.flags.filter((flag) => flag !== detail.flag), detail.flag] } : state;
    case 'flag-cleared':
      return { ...state, flags: state.flags.filter((flag) => flag !== detail.flag), heldFor: state.heldFor.filter((flag) => flag !== detail.flag) };
    case 'promise-recorded':
      return detail.promiseId ? { ...state, openPromises: [...state.openPromises, detail.promiseId] } : state;
    case 'promise-kept':
    case 'promise-cancelled':
      return { ...state, openPromises: state.openPromises.filter((id) => id !== detail.promiseId) };
    case 'promise-broken':
      return { ...state, openPromises: state.openPromises.filter((id) => id !== detail.promiseId), ...(profile ? { profile: { ...profile, brokenPromises: profile.brokenPromises + 1 } } : {}) };
    case 'plan-accepted':
      return detail.planId ? { ...state, runningPlan: detail.planId } : state;
    case 'plan-completed':
    case 'plan-cancelled':
      return withoutPlan(state, detail.planId);
    case 'plan-defaulted':
      return { ...withoutPlan(state, detail.planId), planDefaults: state.planDefaults + 1 };
    case 'legal-handoff-started':
      return { ...state, legal: 'requested' };
    case 'legal-handoff-refused':
      return { ...state, legal: 'none' };
    case 'wilful-default-flagged':
      return { ...state, wilfulDefault: { by: detail.by ?? 'supervisor', reason: detail.note ?? '' } };
    default:
      return state;
  }
}

function withoutPlan(state: CaseState, planId: string | undefined): CaseState {
  if (state.runningPlan === undefined || state.runningPlan !== planId) return state;
  const { runningPlan: _ended, ...rest } = state;
  return rest;
}

function withItem(state: CaseState, entry: number, item: Item, change: (entry: ChecklistEntry) => ChecklistEntry): CaseState {
  const current = state.checklist[item];
  if (entry !== state.entry || current === undefined) return state;
  return { ...state, checklist: { ...state.checklist, [item]: change(current) } };
}
