/**
 * Histories for the report tests: events as the owning services store them (data checked and versioned by each
 * service's catalog `encode`, metadata by `storedEvent`), given stream and global positions as the event store would.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  accounts,
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
import { accountEvent, accountPlaced, storedEvent, stubCiphertext } from '@arrears/testing';

export interface Actor {
  readonly id: string;
  readonly role: Role;
}

export type LanguageHit = { ruleId: string; category: (typeof contactAttempts.LANGUAGE_CATEGORIES)[number]; term: string };

export const collector = (id: string): Actor => ({ id, role: 'collector' });
export const supervisor = (id: string): Actor => ({ id, role: 'supervisor' });
export const SYSTEM: Actor = { id: 'system:legal-escalation', role: 'system' };

const CONTACTS = new EventCatalog(contactAttempts.CONTACT_EVENTS);
const SCRIPTS = new EventCatalog(contactAttempts.SCRIPT_EVENTS);
const PROMISES = new EventCatalog(promisesToPay.PROMISE_EVENTS);
const PLANS = new EventCatalog(paymentPlans.PLAN_EVENTS);
const LEGAL = new EventCatalog(legalEscalation.LEGAL_EVENTS);

/** The store's global log as a test builds it: every event of every stream, in commit order. */
export class GlobalLog {
  readonly events: EventEnvelope[] = [];
  private commit = 7_000;
  private readonly streams = new Map<string, number>();

  store(event: NewEvent, streamId: string): EventEnvelope {
    const streamPosition = this.streams.get(streamId) ?? 0;
    this.streams.set(streamId, streamPosition + 1);
    // Transaction ids are not contiguous in PostgreSQL: leave gaps, as the store would.
    this.commit += 3;
    const stored: EventEnvelope = {
      ...event,
      streamId,
      streamPosition,
      globalPosition: globalPosition(this.commit, 0),
      recordedAt: new Date(Date.parse(event.occurredAt) + 25).toISOString(),
    };
    this.events.push(stored);
    return stored;
  }

  /** A placed account (`account-<id>`), its debtor as given. */
  place(accountId: string, debtor: Partial<accounts.SealedDebtor>): EventEnvelope {
    return this.store(accountPlaced(accountId, debtor), `account-${accountId}`);
  }

  waiver(accountId: string, waiver: { approvedBy: string; minor: number; kind?: accounts.AdjustmentKind; at: string; actor: Actor }): EventEnvelope {
    const event = accountEvent(
      {
        type: 'BalanceAdjusted',
        data: {
          accountId,
          kind: waiver.kind ?? 'fee-waiver',
          amount: { minor: waiver.minor, currency: 'USD' },
          reason: 'Hardship: fees waived on agreement',
          approvedBy: waiver.approvedBy,
          balanceAfter: { principal: 80_000, fees: 0, interest: 0 },
          interestFrozen: waiver.kind === 'interest-freeze',
        },
      },
      { occurredAt: waiver.at, actorId: waiver.actor.id, actorRole: waiver.actor.role },
    );
    return this.store(event, `account-${accountId}`);
  }

  promise(accountId: string, at: string, actor: Actor): EventEnvelope {
    const encoded = PROMISES.encode({
      type: 'PromiseRecorded',
      data: {
        promiseId: randomUUID(),
        accountId,
        amount: { minor: 20_000, currency: 'USD' },
        madeOn: at.slice(0, 10),
        dueDate: '2026-04-30',
        graceDays: 3,
        breaksAt: '2026-05-04T05:00:00.000Z',
        channel: 'call',
        operatorId: actor.id,
      },
    });
    return this.store(storedEvent(encoded, accountId, { occurredAt: at, actorId: actor.id, actorRole: actor.role }), `promise-${accountId}`);
  }

  planProposed(accountId: string, at: string, actor: Actor): EventEnvelope {
    const encoded = PLANS.encode({
      type: 'PlanProposed',
      data: {
        planId: randomUUID(),
        accountId,
        balance: { minor: 80_000, currency: 'USD' },
        total: { minor: 80_000, currency: 'USD' },
        outcome: 'paid-in-full',
        frequency: 'monthly',
        schedule: [
          { number: 1, dueDate: '2026-05-01', amount: { minor: 40_000, currency: 'USD' } },
          { number: 2, dueDate: '2026-06-01', amount: { minor: 40_000, currency: 'USD' } },
        ],
        options: { interestFreeze: false, termExtension: false },
        approvalsNeeded: [],
        graceDays: 5,
        missedToDefault: 2,
        proposedBy: actor.id,
      },
    });
    return this.store(storedEvent(encoded, accountId, { occurredAt: at, actorId: actor.id, actorRole: actor.role }), `plan-${accountId}`);
  }

  scriptRejected(at: string, actor: Actor, hits: LanguageHit[]): EventEnvelope {
    const scriptId = randomUUID();
    const encoded = SCRIPTS.encode({ type: 'ScriptRejected', data: { scriptId, title: 'Second reminder', language: 'en', channel: 'call', hits } });
    return this.store(storedEvent(encoded, scriptId, { occurredAt: at, actorId: actor.id, actorRole: actor.role }), `script-${scriptId}`);
  }
}

/** A placeholder for the sealed target: a `pii:v1:` ciphertext and a 64-hex keyed hash of the plaintext. */
export function sealedTarget(plain: string, kind: contactAttempts.SealedTarget['kind'] = 'phone'): contactAttempts.SealedTarget {
  return { kind, value: stubCiphertext(kind), key: createHash('sha256').update(`target-key:${plain}`).digest('hex') };
}

export interface ContactRequest {
  readonly accountId: string;
  readonly intendedAt: string;
  readonly operator: Actor;
  readonly channel?: contactAttempts.Channel;
  /** The number (or address) in plaintext: only its keyed hash reaches the event. */
  readonly target?: string;
  readonly timeZones?: readonly string[];
  readonly rulePack?: string;
  readonly jurisdiction?: string;
  readonly contactId?: string;
  /** When the decision was made (the event's `occurredAt`); the intended time by default. */
  readonly decidedAt?: string;
}

type ContactData<T extends contactAttempts.ContactEvent['type']> = Extract<contactAttempts.ContactEvent, { type: T }>['data'];

/** One debtor's contact record (`contact-<debtorId>`), judged in the debtor's zones under one pack. */
export class Debtor {
  readonly debtorId = randomUUID();

  constructor(
    readonly log: GlobalLog,
    readonly profile: { readonly jurisdiction: string; readonly timeZones: readonly string[]; readonly rulePack: string; readonly phone: string },
  ) {}

  /** Places an account for this debtor and returns its id. */
  account(): string {
    const accountId = randomUUID();
    this.log.place(accountId, { debtorId: this.debtorId, jurisdiction: this.profile.jurisdiction, ...(this.profile.timeZones[0] === undefined ? {} : { timeZone: this.profile.timeZones[0] }) });
    return accountId;
  }

  append<T extends contactAttempts.ContactEvent['type']>(type: T, data: ContactData<T>, occurredAt: string, actor: Actor): EventEnvelope {
    // The contract's schema checks the data at run time; TypeScript cannot follow T through the union.
    const encoded = CONTACTS.encode({ type, data } as unknown as contactAttempts.ContactEvent);
    const caseId = (data as { accountId: string }).accountId;
    return this.log.store(storedEvent(encoded, caseId, { occurredAt, actorId: actor.id, actorRole: actor.role }), `contact-${this.debtorId}`);
  }

  private request(request: ContactRequest) {
    const channel = request.channel ?? 'call';
    const kind = channel === 'email' ? 'email' : channel === 'letter' || channel === 'visit' ? 'address' : 'phone';
    return {
      contactId: request.contactId ?? randomUUID(),
      accountId: request.accountId,
      debtorId: this.debtorId,
      channel,
      target: sealedTarget(request.target ?? this.profile.phone, kind),
      purpose: 'collection' as const,
      operatorId: request.operator.id,
      intendedAt: request.intendedAt,
      rulePack: request.rulePack ?? this.profile.rulePack,
      jurisdiction: request.jurisdiction ?? this.profile.jurisdiction,
      timeZones: [...(request.timeZones ?? this.profile.timeZones)],
    };
  }

  /** A ContactAllowed with the informational reasons the engine writes; returns the contact id. */
  allow(request: ContactRequest): string {
    const data = this.request(request);
    const reasons = [
      { ruleId: 'info.rule-pack', message: `Rule pack ${data.rulePack} for jurisdiction ${data.jurisdiction}.` },
      { ruleId: 'info.time-zones', message: `Judged in ${data.timeZones.join(', ')}.` },
    ];
    this.append('ContactAllowed', { ...data, reasons }, request.decidedAt ?? request.intendedAt, request.operator);
    return data.contactId;
  }

  block(request: ContactRequest & { readonly reasons: readonly contactAttempts.ComplianceReason[]; readonly nextAllowedAt?: string }): string {
    const data = this.request(request);
    const next = request.nextAllowedAt === undefined ? {} : { nextAllowedAt: request.nextAllowedAt };
    this.append('ContactBlocked', { ...data, reasons: [...request.reasons], ...next }, request.decidedAt ?? request.intendedAt, request.operator);
    return data.contactId;
  }

  /** An outcome: connected when anyone answered, a conversation for the contracts' CONVERSATION_OUTCOMES. */
  outcome(contactId: string, accountId: string, outcome: contactAttempts.Outcome, endedAt: string, operator: Actor): EventEnvelope {
    const connected = !['no-answer', 'busy', 'voicemail'].includes(outcome);
    const conversation = contactAttempts.CONVERSATION_OUTCOMES.includes(outcome);
    return this.append('AttemptOutcomeRecorded', { contactId, accountId, debtorId: this.debtorId, outcome, conversation, connected, durationSeconds: connected ? 120 : 0, endedAt }, endedAt, operator);
  }

  languageDetected(
    accountId: string,
    source: 'message' | 'notes' | 'transcript' | 'script',
    hits: LanguageHit[],
    at: string,
    operator: Actor,
    contactId?: string,
  ): EventEnvelope {
    return this.append(
      'ProhibitedLanguageDetected',
      { accountId, debtorId: this.debtorId, source, operatorId: operator.id, hits, ...(contactId === undefined ? {} : { contactId }) },
      at,
      operator,
    );
  }

  complaint(accountId: string, category: ContactData<'ComplaintRecorded'>['category'], receivedAt: string, actor: Actor): string {
    const complaintId = randomUUID();
    this.append('ComplaintRecorded', { complaintId, accountId, debtorId: this.debtorId, category, channel: 'call', description: stubCiphertext('complaint'), receivedAt }, receivedAt, actor);
    return complaintId;
  }

  resolve(complaintId: string, accountId: string, upheld: boolean, resolvedAt: string, actor: Actor): EventEnvelope {
    return this.append('ComplaintResolved', { complaintId, accountId, debtorId: this.debtorId, upheld, resolution: upheld ? 'Apologised; calls limited' : 'Contact was lawful', resolvedAt }, resolvedAt, actor);
  }
}

const hex64 = (label: string) => createHash('sha256').update(label).digest('hex');
const plusHours = (instant: string, hours: number) => new Date(Date.parse(instant) + hours * 3_600_000).toISOString();

/** One handoff of a case to legal (`legal-<caseId>`), step by step, each event at `requestedAt` plus some hours. */
export class Handoff {
  readonly packageId: string;

  constructor(
    readonly log: GlobalLog,
    readonly caseId: string,
    readonly requestedAt: string,
    readonly handoff = 1,
  ) {
    this.packageId = hex64(`package:${caseId}:${handoff}`);
  }

  private append(event: legalEscalation.LegalEvent, at: string, actor: Actor = SYSTEM): EventEnvelope {
    return this.log.store(storedEvent(LEGAL.encode(event), this.caseId, { occurredAt: at, actorId: actor.id, actorRole: actor.role }), `legal-${this.caseId}`);
  }

  started(requestedBy = 'supervisor-sam'): this {
    this.append(
      {
        type: 'HandoffStarted',
        data: {
          caseId: this.caseId,
          accountId: this.caseId,
          handoff: this.handoff,
          reasons: ['Two broken promises'],
          requestedBy,
          requestedAt: this.requestedAt,
          remindAt: [plusHours(this.requestedAt, 24), plusHours(this.requestedAt, 36)],
          overdueAt: plusHours(this.requestedAt, 48),
        },
      },
      this.requestedAt,
    );
    return this;
  }

  refused(afterHours = 0): this {
    this.append({ type: 'HandoffRefused', data: { caseId: this.caseId, handoff: this.handoff, reason: 'A dispute is pending', holds: ['dispute'] } }, plusHours(this.requestedAt, afterHours));
    return this;
  }

  fixed(afterHours: number): this {
    this.append(
      {
        type: 'EvidenceFixed',
        data: { caseId: this.caseId, handoff: this.handoff, packageId: this.packageId, items: [{ name: 'manifest.json', sha256: hex64('manifest'), bytes: 2048 }], events: 40, signature: 'c2lnbmF0dXJl', keyId: 'dev-1' },
      },
      plusHours(this.requestedAt, afterHours),
    );
    return this;
  }

  delivered(afterHours: number): this {
    this.append(
      {
        type: 'LegalPackageDelivered',
        data: { caseId: this.caseId, accountId: this.caseId, handoff: this.handoff, packageId: this.packageId, hoursSinceRequest: afterHours, download: `/legal/packages/${this.packageId}` },
      },
      plusHours(this.requestedAt, afterHours),
    );
    return this;
  }

  acknowledged(afterHours: number, by = 'lawyer-lee'): this {
    this.append(
      { type: 'HandoffAcknowledged', data: { caseId: this.caseId, handoff: this.handoff, packageId: this.packageId, acknowledgedBy: by, hoursSinceRequest: afterHours } },
      plusHours(this.requestedAt, afterHours),
      { id: by, role: 'legal' },
    );
    return this;
  }

  overdue(afterHours = 48): this {
    this.append({ type: 'LegalHandoffOverdue', data: { caseId: this.caseId, handoff: this.handoff, delivered: true, alerted: ['supervisor', 'legal-lead'] } }, plusHours(this.requestedAt, afterHours));
    return this;
  }
}
