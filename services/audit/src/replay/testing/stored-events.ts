/**
 * Events of every service as their owners store them, for the replay's tests: the data checked and versioned by the
 * owner's own catalog (`encode`), the case id in the metadata, and the envelope the store adds — stream, stream
 * position, global position and recording time — laid down commit by commit.
 */
import {
  accounts,
  caseWorkflow,
  contactAttempts,
  EventCatalog,
  globalPosition,
  legalEscalation,
  paymentPlans,
  promisesToPay,
  type EventEnvelope,
  type NewEvent,
  type Role,
} from '@arrears/contracts';
import { storedEvent } from '@arrears/testing';

const CATALOGS = {
  account: new EventCatalog(accounts.ACCOUNT_EVENTS),
  contact: new EventCatalog(contactAttempts.CONTACT_EVENTS),
  promise: new EventCatalog(promisesToPay.PROMISE_EVENTS),
  plan: new EventCatalog(paymentPlans.PLAN_EVENTS),
  case: new EventCatalog(caseWorkflow.CASE_EVENTS),
  roster: new EventCatalog(caseWorkflow.ROSTER_EVENTS),
  legal: new EventCatalog(legalEscalation.LEGAL_EVENTS),
};

export interface Actor {
  readonly actorId: string;
  readonly actorRole: Role;
}

export const SYSTEM = (service: string): Actor => ({ actorId: `system:${service}`, actorRole: 'system' });

type Options = { readonly occurredAt: string } & Partial<Actor>;

const stored = (encoded: { type: string; schemaVersion: number; data: object }, caseId: string, options: Options): NewEvent =>
  storedEvent(encoded, caseId, { occurredAt: options.occurredAt, actorId: options.actorId, actorRole: options.actorRole });

export const encodeAs = {
  account: (caseId: string, event: accounts.AccountEvent, options: Options) => stored(CATALOGS.account.encode(event), caseId, options),
  contact: (caseId: string, event: contactAttempts.ContactEvent, options: Options) => stored(CATALOGS.contact.encode(event), caseId, options),
  promise: (caseId: string, event: promisesToPay.PromiseEvent, options: Options) => stored(CATALOGS.promise.encode(event), caseId, options),
  plan: (caseId: string, event: paymentPlans.PlanEvent, options: Options) => stored(CATALOGS.plan.encode(event), caseId, options),
  case: (caseId: string, event: caseWorkflow.CaseEvent, options: Options) => stored(CATALOGS.case.encode(event), caseId, options),
  roster: (caseId: string, event: caseWorkflow.RosterEvent, options: Options) => stored(CATALOGS.roster.encode(event), caseId, options),
  legal: (caseId: string, event: legalEscalation.LegalEvent, options: Options) => stored(CATALOGS.legal.encode(event), caseId, options),
};

/** The store's global log as a test lays it down: one commit at a time, each with its recording time. */
export class Log {
  readonly events: EventEnvelope[] = [];
  private commit: number;
  private readonly streamPositions = new Map<string, number>();

  constructor(firstCommit = 5_000) {
    this.commit = firstCommit;
  }

  /**
   * Commits events together, as one transaction: one commit number, prepare positions 0, 1, …, one recording time
   * (by default a quarter of a second after the first event's business time). `commitGap` leaves commit numbers
   * unused in between, as other cases' transactions do.
   */
  append(entries: readonly { readonly stream: string; readonly event: NewEvent }[], options: { readonly recordedAt?: string; readonly commitGap?: number } = {}): EventEnvelope[] {
    const first = entries[0];
    if (first === undefined) return [];
    this.commit += 1 + (options.commitGap ?? 0);
    const recordedAt = options.recordedAt ?? new Date(Date.parse(first.event.occurredAt) + 250).toISOString();
    const appended = entries.map(({ stream, event }, prepare) => {
      const streamPosition = this.streamPositions.get(stream) ?? 0;
      this.streamPositions.set(stream, streamPosition + 1);
      return { ...event, streamId: stream, streamPosition, globalPosition: globalPosition(this.commit, prepare), recordedAt };
    });
    this.events.push(...appended);
    return appended;
  }
}
