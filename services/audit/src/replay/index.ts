// Replay of a case: its full history across every service as a timeline, its state as of any moment, what changed
// between two moments, and canonical outputs that are byte-identical however often the same history is replayed.
// Pure functions over the case's events (domain/); gathering the events and serving the results are elsewhere.
export { caseEvents, decodeEvent, type DecodedEvent, type ReplayEvent } from './domain/decode';
export { caseTimeline, timelineEntry, type TimelineEntry } from './domain/timeline';
export type { Reason } from './domain/reasons';
export { applyEvent, foldEvents, initialSnapshot, type AsOfBasis, type CaseSnapshot } from './domain/snapshot';
export { caseStateAt, eventInstant, eventsAsOf, type AsOfOptions } from './domain/as-of';
export { diffSnapshots, type Change } from './domain/diff';
export { snapshotJson, timelineCsv, TIMELINE_CSV_COLUMNS, toJsonl } from './domain/output';
export { canonicalJson } from './domain/canonical-json';
export { compareInstants } from './domain/instants';
export { ENCRYPTED } from './domain/personal-data';
export type { AccountView, BalanceView } from './domain/account-view';
export type { ComplaintView, ContactView } from './domain/contact-view';
export type { PromiseView, PromisesView } from './domain/promise-view';
export type { InstalmentView, PlanView, PlansView } from './domain/plan-view';
export type { HandoffView, LegalView } from './domain/legal-view';
export type { ChecklistItemView, WorkflowView } from './domain/workflow-view';
