/**
 * Case-saga and roster histories for the read-model tests, built by hand (there is no saga decider yet to decide them):
 * each event stored as the event store would give it back, its data checked by the contracts (`catalog.encode`).
 */
import { randomUUID } from 'node:crypto';
import { caseWorkflow, EventCatalog, type EventEnvelope } from '@arrears/contracts';
import { History } from '@arrears/read-models/src/testing/history';
import { storedEvent } from '@arrears/testing';

type CaseEvent = caseWorkflow.CaseEvent;
type RosterEvent = caseWorkflow.RosterEvent;
type Stage = caseWorkflow.Stage;
type Item = caseWorkflow.ChecklistItem;
type Profile = caseWorkflow.CaseProfile;
type DataOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>['data'];
type Detail = DataOf<'CaseSignalRecorded'>['detail'];
type Product = Profile['product'];

const catalog = new EventCatalog([...caseWorkflow.CASE_EVENTS, ...caseWorkflow.ROSTER_EVENTS]);
const SAGA = { actorId: 'system:case-workflow', actorRole: 'system' } as const;

export { History };

/** A USD credit card, 1,200.00 owed, 20 days past due, medium risk. */
export const DEFAULT_PROFILE: Profile = { product: 'credit-card', currency: 'USD', balance: 120_000, daysPastDue: 20, bucket: '1-30', tier: 'medium', brokenPromises: 0 };

/** Stores `event` at `position` of `streamId`, checked by the contracts; a roster event about no case has no case id. */
function store(history: History, event: CaseEvent | RosterEvent, caseId: string | undefined, streamId: string, position: number, occurredAt: string): EventEnvelope {
  const stored = storedEvent(catalog.encode(event), caseId ?? '', { occurredAt, ...SAGA });
  const { caseId: _none, ...metadata } = stored.metadata;
  return history.store(caseId === undefined ? { ...stored, metadata } : stored, streamId, position);
}

/**
 * One case's saga stream (`case-<accountId>`): each call appends the next stored event. It keeps the stage entry and
 * the deadlines, so that the events it makes are the ones the saga would.
 */
export class CaseStream {
  readonly events: EventEnvelope[] = [];
  profile: Profile = DEFAULT_PROFILE;
  stage: Stage | undefined;
  entry = 0;
  private readonly deadlines = new Map<Item, string>();

  constructor(
    readonly caseId: string = randomUUID(),
    private readonly history: History = new History(),
  ) {}

  append(event: CaseEvent, occurredAt: string): EventEnvelope {
    const stored = store(this.history, event, this.caseId, `case-${this.caseId}`, this.events.length, occurredAt);
    this.events.push(stored);
    return stored;
  }

  open(at: string, profile: Partial<Profile> = {}): EventEnvelope {
    this.profile = { ...DEFAULT_PROFILE, ...profile };
    return this.append({ type: 'CaseOpened', data: { caseId: this.caseId, accountId: this.caseId, creditorId: 'acme', dueDate: '2027-05-01', profile: this.profile } }, at);
  }

  /** The next stage entry, with its checklist (each item's deadline, if it has one yet). */
  enter(stage: Stage, at: string, options: { readonly checklist?: readonly { item: Item; dueAt?: string }[]; readonly closeReason?: DataOf<'StageEntered'>['closeReason']; readonly reason?: string } = {}): EventEnvelope {
    const from = this.stage;
    this.stage = stage;
    this.entry += 1;
    this.deadlines.clear();
    const checklist = options.checklist ?? [];
    for (const { item, dueAt } of checklist) if (dueAt !== undefined) this.deadlines.set(item, dueAt);
    return this.append(
      {
        type: 'StageEntered',
        data: {
          caseId: this.caseId,
          stage,
          ...(from === undefined ? {} : { from }),
          entry: this.entry,
          reason: options.reason ?? `Entered ${stage} by the stage rules`,
          checklist: [...checklist],
          ...(options.closeReason === undefined ? {} : { closeReason: options.closeReason }),
        },
      },
      at,
    );
  }

  /** An item of the current entry met by `by`, at `at`. */
  done(item: Item, at: string, by: caseWorkflow.Signal = 'attempt'): EventEnvelope {
    return this.append({ type: 'ChecklistItemDone', data: { caseId: this.caseId, stage: this.current(), entry: this.entry, item, by, at } }, at);
  }

  deadline(item: Item, dueAt: string, at: string): EventEnvelope {
    this.deadlines.set(item, dueAt);
    return this.append({ type: 'ChecklistDeadlineSet', data: { caseId: this.caseId, stage: this.current(), entry: this.entry, item, dueAt } }, at);
  }

  /** The timer of an item's deadline fired unmet, at `at`; `collectorId` is the collector alerted, if any. */
  missed(item: Item, at: string, collectorId?: string): EventEnvelope {
    const dueAt = this.deadlines.get(item);
    if (dueAt === undefined) throw new Error(`${item} has no deadline in entry ${this.entry} of case ${this.caseId}`);
    return this.append(
      {
        type: 'DeadlineMissed',
        data: {
          caseId: this.caseId,
          stage: this.current(),
          entry: this.entry,
          item,
          dueAt,
          reason: `No ${item} by the deadline`,
          ...(collectorId === undefined ? {} : { collectorId }),
          alerted: collectorId === undefined ? ['supervisor'] : ['supervisor', 'collector'],
        },
      },
      at,
    );
  }

  signal(signal: caseWorkflow.Signal, detail: Detail, at: string): EventEnvelope {
    return this.append({ type: 'CaseSignalRecorded', data: { caseId: this.caseId, signal, sourceEventId: randomUUID(), sourceType: 'SomethingElsewhere', at, detail } }, at);
  }

  legalRequested(at: string, requestedBy = 'system:case-workflow'): EventEnvelope {
    return this.append({ type: 'LegalEscalationRequested', data: { caseId: this.caseId, accountId: this.caseId, reasons: ['Two promises broken within 60 days'], requestedBy } }, at);
  }

  legalHeld(at: string, holds: DataOf<'LegalEscalationHeld'>['holds'] = ['dispute']): EventEnvelope {
    return this.append({ type: 'LegalEscalationHeld', data: { caseId: this.caseId, reasons: ['Two promises broken within 60 days'], holds } }, at);
  }

  /** A saga effect event: a command issued to another service. */
  commandIssued(service: string, command: string, at: string): EventEnvelope {
    const data = { sagaId: `case-${this.caseId}`, commandId: randomUUID(), service, command, data: { caseId: this.caseId }, reason: `${command} for the case` };
    return this.append({ type: 'SagaCommandIssued', data }, at);
  }

  /** A saga effect event: a timer set for an item's deadline. */
  timerSet(item: Item, fireAt: string, at: string): EventEnvelope {
    return this.append({ type: 'SagaTimerSet', data: { sagaId: `case-${this.caseId}`, timerId: randomUUID(), kind: 'checklist-deadline', fireAt, payload: { item, entry: this.entry } } }, at);
  }

  private current(): Stage {
    if (this.stage === undefined) throw new Error(`case ${this.caseId} has entered no stage yet`);
    return this.stage;
  }
}

/** One team's roster stream (`roster-<teamId>`); it keeps who holds each case, as the roster would. */
export class RosterStream {
  readonly events: EventEnvelope[] = [];
  private readonly holders = new Map<string, string>();

  constructor(
    readonly teamId: string = 'main',
    private readonly history: History = new History(),
  ) {}

  append(event: RosterEvent, occurredAt: string, caseId?: string): EventEnvelope {
    const stored = store(this.history, event, caseId, `roster-${this.teamId}`, this.events.length, occurredAt);
    this.events.push(stored);
    return stored;
  }

  register(collectorId: string, name: string, at: string, options: { readonly specialties?: readonly Product[]; readonly capacity?: number } = {}): EventEnvelope {
    return this.append({ type: 'CollectorRegistered', data: { collectorId, name, specialties: [...(options.specialties ?? [])], capacity: options.capacity ?? 10 } }, at);
  }

  update(collectorId: string, at: string, change: { readonly specialties: readonly Product[]; readonly capacity: number }): EventEnvelope {
    return this.append({ type: 'CollectorUpdated', data: { collectorId, specialties: [...change.specialties], capacity: change.capacity } }, at);
  }

  availability(collectorId: string, available: boolean, at: string, options: { readonly reason?: string; readonly until?: string } = {}): EventEnvelope {
    const reason = options.reason ?? (available ? 'Back at work' : 'On leave');
    return this.append({ type: 'CollectorAvailabilityChanged', data: { collectorId, available, reason, ...(options.until === undefined ? {} : { until: options.until }) } }, at);
  }

  assign(kase: Pick<CaseStream, 'caseId' | 'profile'>, collectorId: string, at: string, reason: caseWorkflow.AssignmentReason = 'new-case'): EventEnvelope {
    const previous = this.holders.get(kase.caseId);
    this.holders.set(kase.caseId, collectorId);
    return this.append(
      {
        type: 'CaseAssigned',
        data: {
          caseId: kase.caseId,
          collectorId,
          ...(previous === undefined ? {} : { previousCollectorId: previous }),
          reason,
          profile: kase.profile,
          score: 42,
          factors: [{ factor: 'load', points: 42, detail: 'Spare capacity' }],
          alternatives: [],
        },
      },
      at,
      kase.caseId,
    );
  }

  /** No collector could take the case: it waits in the supervisor's queue. */
  unassign(kase: Pick<CaseStream, 'caseId' | 'profile'>, at: string, reason: caseWorkflow.AssignmentReason = 'new-case'): EventEnvelope {
    const previous = this.holders.get(kase.caseId);
    this.holders.delete(kase.caseId);
    const data = { caseId: kase.caseId, reason, why: 'Nobody available with spare capacity', ...(previous === undefined ? {} : { previousCollectorId: previous }), profile: kase.profile };
    return this.append({ type: 'CaseUnassigned', data }, at, kase.caseId);
  }

  /** The closed case leaves its collector's load (or the waiting queue). */
  release(kase: Pick<CaseStream, 'caseId'>, at: string, outcome: 'success' | 'failure' | 'neutral' = 'success'): EventEnvelope {
    const collectorId = this.holders.get(kase.caseId);
    this.holders.delete(kase.caseId);
    return this.append({ type: 'CaseReleased', data: { caseId: kase.caseId, ...(collectorId === undefined ? {} : { collectorId }), outcome } }, at, kase.caseId);
  }
}

export interface RealisticWorkflow {
  readonly history: History;
  /** Every event of every stream, in the order they were committed. */
  readonly events: readonly EventEnvelope[];
  readonly main: RosterStream;
  readonly north: RosterStream;
  readonly a: CaseStream;
  readonly b: CaseStream;
  readonly c: CaseStream;
  readonly d: CaseStream;
  readonly e: CaseStream;
  readonly cases: readonly CaseStream[];
}

/**
 * Five cases and three collectors in June 2027 (UTC). Team `main`: collector-7 (capacity 2; absent from 10 June until
 * 20 June) and collector-9 (capacity 3, raised to 4 on 2 June); team `north`: collector-3.
 * - A (credit card, USD 1,200.00, 1-30 days, medium risk; collector-7): contact from 1 June 08:00 (first attempt done
 *   at 10:00; right-party contact due 4 June 08:00, missed then); pressure from 5 June 08:00 (96 h of contact; the
 *   legal-consequences notice due 8 June 08:00, not yet missed); high risk from 6 June.
 * - B (consumer loan, EUR 500.00, 31-90 days, high risk; collector-9): contact from 1 June 09:00 (both items done);
 *   negotiate from 3 June 09:00 (48 h; the commitment due 4 June 09:00, met late on 5 June 09:00); 300.00 owed after
 *   a payment on 5 June; closed (settled) on 7 June 09:00 (96 h of negotiating); released from collector-9.
 * - C (auto loan, USD 8,000.00, 90+ days, high risk): collector-7, then collector-9 (stalled) on 3 June 11:00;
 *   contact from 2 June 10:00 (first attempt due 3 June 10:00, missed, given until 4 June 10:00, then done on 4 June
 *   14:00); pressure from 5 June 10:00 (72 h; the notice due 8 June 10:00, missed, collector-9 alerted); legal
 *   escalation held (a dispute) on 9 June, requested on 12 June.
 * - D (mortgage, GBP 20,000.00, 31-90 days, low risk): nobody could take it; contact from 3 June 08:00 (the first
 *   attempt has no deadline without a collector; right-party contact due 6 June 08:00, missed, nobody to alert).
 * - E (telecom, USD 90.00, current, low risk; north's collector-3): contact from 4 June 12:00 (first attempt done at
 *   13:00); negotiate from 6 June 12:00 (48 h; commitment due 13 June 12:00).
 */
export function realisticWorkflow(): RealisticWorkflow {
  const history = new History();
  const main = new RosterStream('main', history);
  const north = new RosterStream('north', history);
  const [a, b, c, d, e] = Array.from({ length: 5 }, () => new CaseStream(randomUUID(), history)) as [CaseStream, CaseStream, CaseStream, CaseStream, CaseStream];

  main.register('collector-7', 'Ana Ruiz', '2027-06-01T07:00:00.000Z', { specialties: ['credit-card', 'auto-loan'], capacity: 2 });
  main.register('collector-9', 'Ben Okafor', '2027-06-01T07:01:00.000Z', { specialties: ['consumer-loan'], capacity: 3 });
  north.register('collector-3', 'Chen Wei', '2027-06-01T07:02:00.000Z', { specialties: ['telecom'], capacity: 5 });

  a.open('2027-06-01T08:00:00.000Z', { product: 'credit-card', currency: 'USD', balance: 120_000, bucket: '1-30', tier: 'medium' });
  a.enter('contact', '2027-06-01T08:00:00.000Z', { checklist: [{ item: 'first-attempt' }, { item: 'right-party-contact', dueAt: '2027-06-04T08:00:00.000Z' }] });
  a.commandIssued('case-workflow', 'AssignCase', '2027-06-01T08:00:00.000Z');
  main.assign(a, 'collector-7', '2027-06-01T08:00:05.000Z');
  a.signal('assigned', { collectorId: 'collector-7' }, '2027-06-01T08:00:06.000Z');
  a.deadline('first-attempt', '2027-06-02T08:00:05.000Z', '2027-06-01T08:00:06.000Z');
  a.timerSet('first-attempt', '2027-06-02T08:00:05.000Z', '2027-06-01T08:00:06.000Z');

  b.open('2027-06-01T09:00:00.000Z', { product: 'consumer-loan', currency: 'EUR', balance: 50_000, daysPastDue: 45, bucket: '31-90', tier: 'high' });
  b.enter('contact', '2027-06-01T09:00:00.000Z', { checklist: [{ item: 'first-attempt', dueAt: '2027-06-02T09:00:00.000Z' }, { item: 'right-party-contact', dueAt: '2027-06-04T09:00:00.000Z' }] });
  main.assign(b, 'collector-9', '2027-06-01T09:00:05.000Z');
  a.done('first-attempt', '2027-06-01T10:00:00.000Z');
  b.done('first-attempt', '2027-06-01T12:00:00.000Z');

  main.update('collector-9', '2027-06-02T07:00:00.000Z', { specialties: ['consumer-loan', 'mortgage'], capacity: 4 });
  b.done('right-party-contact', '2027-06-02T09:00:00.000Z', 'right-party-contact');
  c.open('2027-06-02T10:00:00.000Z', { product: 'auto-loan', currency: 'USD', balance: 800_000, daysPastDue: 120, bucket: '90+', tier: 'high' });
  c.enter('contact', '2027-06-02T10:00:00.000Z', { checklist: [{ item: 'first-attempt', dueAt: '2027-06-03T10:00:00.000Z' }, { item: 'right-party-contact', dueAt: '2027-06-05T10:00:00.000Z' }] });
  main.assign(c, 'collector-7', '2027-06-02T10:00:05.000Z');

  d.open('2027-06-03T08:00:00.000Z', { product: 'mortgage', currency: 'GBP', balance: 2_000_000, daysPastDue: 60, bucket: '31-90', tier: 'low' });
  d.enter('contact', '2027-06-03T08:00:00.000Z', { checklist: [{ item: 'first-attempt' }, { item: 'right-party-contact', dueAt: '2027-06-06T08:00:00.000Z' }] });
  main.unassign(d, '2027-06-03T08:00:05.000Z');
  b.enter('negotiate', '2027-06-03T09:00:00.000Z', { checklist: [{ item: 'commitment', dueAt: '2027-06-04T09:00:00.000Z' }] });
  c.missed('first-attempt', '2027-06-03T10:00:00.000Z', 'collector-7');
  main.assign(c, 'collector-9', '2027-06-03T11:00:00.000Z', 'stalled');
  c.deadline('first-attempt', '2027-06-04T10:00:00.000Z', '2027-06-03T11:00:01.000Z');

  a.missed('right-party-contact', '2027-06-04T08:00:00.000Z', 'collector-7');
  e.open('2027-06-04T12:00:00.000Z', { product: 'telecom', currency: 'USD', balance: 9_000, daysPastDue: 0, bucket: 'current', tier: 'low' });
  e.enter('contact', '2027-06-04T12:00:00.000Z', { checklist: [{ item: 'first-attempt', dueAt: '2027-06-05T12:00:00.000Z' }, { item: 'right-party-contact', dueAt: '2027-06-07T12:00:00.000Z' }] });
  north.assign(e, 'collector-3', '2027-06-04T12:00:05.000Z');
  e.done('first-attempt', '2027-06-04T13:00:00.000Z');
  c.done('first-attempt', '2027-06-04T14:00:00.000Z');

  a.enter('pressure', '2027-06-05T08:00:00.000Z', { checklist: [{ item: 'legal-consequences-notice', dueAt: '2027-06-08T08:00:00.000Z' }] });
  b.done('commitment', '2027-06-05T09:00:00.000Z', 'promise-recorded');
  b.signal('payment', { balance: 30_000 }, '2027-06-05T09:30:00.000Z');
  c.enter('pressure', '2027-06-05T10:00:00.000Z', { checklist: [{ item: 'legal-consequences-notice', dueAt: '2027-06-08T10:00:00.000Z' }] });
  a.signal('tier-changed', { tier: 'high' }, '2027-06-06T05:00:00.000Z');
  d.missed('right-party-contact', '2027-06-06T08:00:00.000Z');
  e.enter('negotiate', '2027-06-06T12:00:00.000Z', { checklist: [{ item: 'commitment', dueAt: '2027-06-13T12:00:00.000Z' }] });

  b.enter('close', '2027-06-07T09:00:00.000Z', { closeReason: 'settled' });
  main.release(b, '2027-06-07T09:00:10.000Z');
  c.missed('legal-consequences-notice', '2027-06-08T10:00:00.000Z', 'collector-9');
  c.legalHeld('2027-06-09T10:00:00.000Z', ['dispute']);
  main.availability('collector-7', false, '2027-06-10T08:00:00.000Z', { reason: 'Knee surgery', until: '2027-06-20' });
  c.legalRequested('2027-06-12T10:00:00.000Z');

  return { history, events: history.events, main, north, a, b, c, d, e, cases: [a, b, c, d, e] };
}
