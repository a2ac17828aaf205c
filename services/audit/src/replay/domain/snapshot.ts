import { evolveAccount, initialAccount, type AccountView } from './account-view';
import { evolveContact, initialContact, type ContactView } from './contact-view';
import { unreachable, type ReplayEvent } from './decode';
import { escalationHeld, escalationRequested, evolveLegal, initialLegal, type LegalView } from './legal-view';
import { evolvePlans, type PlansView } from './plan-view';
import { evolvePromises, type PromisesView } from './promise-view';
import { evolveWorkflow, initialWorkflow, type WorkflowView } from './workflow-view';

/**
 * What defines "as of": `recorded` — what the platform knew at that instant (events the store had committed by then,
 * `recordedAt`), the default because an auditor asks what the system knew and so what its people could act on;
 * `occurred` — the business time the commands carried (`occurredAt`), for "what had happened by then", including
 * what was only recorded later (a payment posted the next morning for the day before).
 */
export type AsOfBasis = 'recorded' | 'occurred';

/** A case's state at one moment, across every service: a plain JSON value, shown by `snapshotJson`, compared by `diffSnapshots`. */
export interface CaseSnapshot {
  /** The moment asked about and how it was read; null for a snapshot that no `caseStateAt` produced (the initial one, a bare fold). */
  readonly asOf: { readonly at: string | null; readonly basis: AsOfBasis | null };
  readonly replayed: {
    /** Events folded in, unread ones included. */
    readonly events: number;
    /** Events the platform's catalogs could not read: counted here, listed in the timeline, applied nowhere. */
    readonly unread: number;
    /** Global position of the last event folded in. */
    readonly lastPosition: string | null;
  };
  readonly account: AccountView;
  readonly contact: ContactView;
  /** By promise id. */
  readonly promises: PromisesView;
  /** By plan id. */
  readonly plans: PlansView;
  readonly legal: LegalView;
  readonly workflow: WorkflowView;
}

export function initialSnapshot(): CaseSnapshot {
  return {
    asOf: { at: null, basis: null },
    replayed: { events: 0, unread: 0, lastPosition: null },
    account: initialAccount(),
    contact: initialContact(),
    promises: {},
    plans: {},
    legal: initialLegal(),
    workflow: initialWorkflow(),
  };
}

/** The case after one more event: pure, so folding the same events gives the same snapshot every time. */
export function applyEvent(snapshot: CaseSnapshot, replayed: ReplayEvent): CaseSnapshot {
  const { envelope, decoded } = replayed;
  const counted: CaseSnapshot = {
    ...snapshot,
    replayed: { events: snapshot.replayed.events + 1, unread: snapshot.replayed.unread + (decoded === null ? 1 : 0), lastPosition: envelope.globalPosition },
  };
  if (decoded === null) return counted;
  switch (decoded.service) {
    case 'accounts':
      return { ...counted, account: evolveAccount(counted.account, decoded.event, envelope) };
    case 'contact-attempts':
      return { ...counted, contact: evolveContact(counted.contact, decoded.event, envelope) };
    case 'promises-to-pay':
      return { ...counted, promises: evolvePromises(counted.promises, decoded.event, envelope) };
    case 'payment-plans':
      return { ...counted, plans: evolvePlans(counted.plans, decoded.event, envelope) };
    case 'legal-escalation':
      return { ...counted, legal: evolveLegal(counted.legal, decoded.event, envelope) };
    case 'case-workflow': {
      const { event } = decoded;
      // The case saga decides about escalation; the legal view is where an auditor looks for it.
      if (event.type === 'LegalEscalationRequested') return { ...counted, legal: escalationRequested(counted.legal, event.data.reasons) };
      if (event.type === 'LegalEscalationHeld') return { ...counted, legal: escalationHeld(counted.legal, event.data.reasons, event.data.holds) };
      return { ...counted, workflow: evolveWorkflow(counted.workflow, event, envelope) };
    }
    default:
      return unreachable(decoded);
  }
}

/** Folds events, already in global order (`caseEvents`), onto a snapshot. */
export function foldEvents(events: readonly ReplayEvent[], from: CaseSnapshot = initialSnapshot()): CaseSnapshot {
  return events.reduce(applyEvent, from);
}
