/** Contact histories for the read-model tests: stored envelopes built by hand, data validated by the contract. */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { contactAttempts, EventCatalog, type accounts, type Encrypted, type EventEnvelope, type Role } from '@arrears/contracts';
import { History } from '@arrears/read-models/src/testing/history';
import { accountPlaced, storedEvent } from '@arrears/testing';

type ContactEvent = contactAttempts.ContactEvent;
type DataOf<T extends ContactEvent['type']> = Omit<Extract<ContactEvent, { type: T }>['data'], 'debtorId'>;

const catalog = new EventCatalog(contactAttempts.CONTACT_EVENTS);
const TARGET_SECRET = Buffer.from('read-model tests: not a real target-key secret');

/** A token shaped like a real ciphertext, with nothing of any plaintext in it. */
export function sealed(): Encrypted {
  return `pii:v1:${randomBytes(12).toString('base64url')}:${randomBytes(24).toString('base64url')}:${randomBytes(16).toString('base64url')}` as Encrypted;
}

export interface ContactRequest {
  readonly accountId: string;
  readonly intendedAt: string;
  readonly operatorId?: string;
  readonly contactId?: string;
  readonly channel?: contactAttempts.Channel;
  /** The number, address or email in plaintext: only its keyed hash reaches the event, beside a sealed value. */
  readonly target?: string;
  readonly timeZones?: readonly string[];
  readonly jurisdiction?: string;
  readonly rulePack?: string;
  readonly reasons?: readonly contactAttempts.ComplianceReason[];
}

export interface Outcome {
  readonly connected?: boolean;
  readonly conversation?: boolean;
  readonly durationSeconds?: number;
  readonly recordingReference?: string;
  readonly notes?: boolean;
  /** Default: a minute after the event before it. */
  readonly endedAt?: string;
}

/** Outcomes in which somebody answered. */
const ANSWERED: readonly contactAttempts.Outcome[] = ['wrong-number', 'right-party-contact', 'third-party', 'refused', 'dispute-raised', 'promise-offered'];

/**
 * One debtor's contact stream (`contact-<debtorId>`): each append is the next stored event, with positions, ids and
 * metadata as the store gives them (`caseId` the account, `actorId` the operator).
 */
export class ContactStream {
  readonly events: EventEnvelope[] = [];

  constructor(
    readonly debtorId: string = randomUUID(),
    readonly defaults: { readonly jurisdiction: string; readonly timeZones: readonly string[]; readonly rulePack: string } = {
      jurisdiction: 'US-IL',
      timeZones: ['America/Chicago'],
      rulePack: 'reg-f',
    },
    private readonly history: History = new History(),
  ) {}

  append<T extends ContactEvent['type']>(type: T, data: DataOf<T>, occurredAt: string, actor: { id: string; role: Role } = { id: 'collector-7', role: 'collector' }): EventEnvelope {
    // The contract's schema checks the data at run time; TypeScript cannot follow T through the spread.
    const encoded = catalog.encode({ type, data: { debtorId: this.debtorId, ...data } } as unknown as ContactEvent);
    const caseId = (data as { accountId: string }).accountId;
    const event = this.history.store(storedEvent(encoded, caseId, { occurredAt, actorId: actor.id, actorRole: actor.role }), `contact-${this.debtorId}`, this.events.length);
    this.events.push(event);
    return event;
  }

  /** Records a ContactAllowed decided at the intended moment; returns the contact id. */
  allow(request: ContactRequest): string {
    const contactId = request.contactId ?? randomUUID();
    this.append('ContactAllowed', { ...this.decision(contactId, request), reasons: [...(request.reasons ?? [])] }, request.intendedAt, this.operator(request));
    return contactId;
  }

  block(request: ContactRequest & { readonly reasons: readonly contactAttempts.ComplianceReason[]; readonly nextAllowedAt?: string }): string {
    const contactId = request.contactId ?? randomUUID();
    const { nextAllowedAt } = request;
    this.append(
      'ContactBlocked',
      { ...this.decision(contactId, request), reasons: [...request.reasons], ...(nextAllowedAt === undefined ? {} : { nextAllowedAt }) },
      request.intendedAt,
      this.operator(request),
    );
    return contactId;
  }

  /** What came of contact `contactId` of `accountId`; connected and conversation follow the outcome unless given. */
  outcome(contactId: string, accountId: string, outcome: contactAttempts.Outcome, details: Outcome = {}): EventEnvelope {
    const previous = this.events.at(-1)?.occurredAt ?? '2026-01-01T00:00:00.000Z';
    const endedAt = details.endedAt ?? new Date(Date.parse(previous) + (details.durationSeconds ?? 60) * 1_000).toISOString();
    return this.append(
      'AttemptOutcomeRecorded',
      {
        contactId,
        accountId,
        outcome,
        connected: details.connected ?? ANSWERED.includes(outcome),
        conversation: details.conversation ?? contactAttempts.CONVERSATION_OUTCOMES.includes(outcome),
        ...(details.durationSeconds === undefined ? {} : { durationSeconds: details.durationSeconds }),
        ...(details.recordingReference === undefined ? {} : { recordingReference: details.recordingReference }),
        ...(details.notes === true ? { notes: sealed() } : {}),
        endedAt,
      },
      endedAt,
    );
  }

  /** An allowed call and its outcome, for histories where only the figures matter. */
  call(request: ContactRequest, outcome: contactAttempts.Outcome, details: Outcome = {}): string {
    const contactId = this.allow(request);
    const endedAt = new Date(Date.parse(request.intendedAt) + (details.durationSeconds ?? 60) * 1_000).toISOString();
    this.outcome(contactId, request.accountId, outcome, { endedAt, ...details });
    return contactId;
  }

  private decision(contactId: string, request: ContactRequest): Omit<DataOf<'ContactAllowed'>, 'reasons'> {
    const target = request.target ?? '+1 312 555 0147';
    const kind: contactAttempts.SealedTarget['kind'] = request.channel === 'email' ? 'email' : request.channel === 'letter' || request.channel === 'visit' ? 'address' : 'phone';
    return {
      contactId,
      accountId: request.accountId,
      channel: request.channel ?? 'call',
      target: { kind, value: sealed(), key: createHmac('sha256', TARGET_SECRET).update(`${kind}:${target}`).digest('hex') },
      purpose: 'collection',
      operatorId: request.operatorId ?? 'collector-7',
      intendedAt: request.intendedAt,
      rulePack: request.rulePack ?? this.defaults.rulePack,
      jurisdiction: request.jurisdiction ?? this.defaults.jurisdiction,
      timeZones: [...(request.timeZones ?? this.defaults.timeZones)],
    };
  }

  private operator(request: ContactRequest): { id: string; role: Role } {
    return { id: request.operatorId ?? 'collector-7', role: 'collector' };
  }
}

const cn = { jurisdiction: 'CN', timeZones: ['Asia/Shanghai'], rulePack: 'cn-post-loan' } as const;

export interface RealisticContacts {
  readonly streams: readonly ContactStream[];
  /** A's and C's AccountPlaced (position 0 of their account streams); B's is not given. */
  readonly placements: readonly EventEnvelope[];
  /** Every event: the placements, then stream after stream (each stream in its order). */
  readonly events: readonly EventEnvelope[];
  readonly a: { readonly debtorId: string; readonly accountId: string; readonly contacts: readonly string[] };
  readonly b: { readonly debtorId: string; readonly accountId: string; readonly contacts: readonly string[] };
  readonly c: { readonly debtorId: string; readonly accountId: string; readonly contacts: readonly string[] };
}

/**
 * Three debtors worked in April 2026 (plus one call in March) by three collectors:
 * - A (US-IL, America/Chicago): a right-party contact in March; in April a missed call and a right-party contact,
 *   a call blocked by the conversation cool-down, an SMS, a promise, a late call blocked by the time of day and the
 *   cool-down; prohibited language in the promise call's notes; a preference set; a complaint resolved not upheld.
 * - B (US-NY, time zone unknown: judged in New York and Los Angeles): voicemail, a third party, a right-party
 *   contact; a complaint upheld after nine days.
 * - C (CN, Asia/Shanghai): three connected calls in one day (a right-party contact, a refusal, a third party first
 *   recorded wrongly as a right-party contact and then corrected), the fourth blocked by the daily cap, a night call blocked by the quiet hours; prohibited language in a script;
 *   a complaint still open.
 * A's account was placed by Acme (a credit card), C's by Globex (telecom), both in March; B's placement is not given.
 */
export function realisticContacts(): RealisticContacts {
  const a = new ContactStream();
  const a1 = randomUUID();
  const aContacts = [
    a.call({ accountId: a1, intendedAt: '2026-03-20T19:20:00.000Z', operatorId: 'collector-9' }, 'right-party-contact', { durationSeconds: 200 }),
    a.call({ accountId: a1, intendedAt: '2026-04-06T14:30:00.000Z' }, 'no-answer'),
    a.call({ accountId: a1, intendedAt: '2026-04-06T19:05:00.000Z' }, 'right-party-contact', { durationSeconds: 312, recordingReference: 'rec/2026/04/06/a1-1905', notes: true }),
    a.block({
      accountId: a1,
      intendedAt: '2026-04-07T15:10:00.000Z',
      operatorId: 'collector-9',
      reasons: [{ ruleId: 'reg-f.post-conversation', message: 'A conversation took place on 2026-04-06; no call for 7 days', nextAllowedAt: '2026-04-13T19:05:00.000Z' }],
      nextAllowedAt: '2026-04-13T19:05:00.000Z',
    }),
    a.allow({ accountId: a1, intendedAt: '2026-04-07T15:12:00.000Z', operatorId: 'collector-9', channel: 'sms', reasons: [{ ruleId: 'reg-f.opt-out-notice', message: 'Opt-out instructions present' }] }),
  ];
  a.append(
    'ContactPreferenceSet',
    { accountId: a1, optedOutChannels: ['email'], inconvenientTimes: [{ days: ['sat', 'sun'], from: '08:00', to: '12:00' }], inconvenientPlaces: ['work'], preferredTimes: [{ from: '14:00', to: '17:00' }] },
    '2026-04-07T15:20:00.000Z',
  );
  const complaintA = randomUUID();
  a.append('ComplaintRecorded', { complaintId: complaintA, accountId: a1, category: 'frequency', channel: 'call', description: sealed(), receivedAt: '2026-04-10T09:00:00.000Z' }, '2026-04-10T09:02:00.000Z', {
    id: 'cs-agent-2',
    role: 'supervisor',
  });
  a.append('ComplaintResolved', { complaintId: complaintA, accountId: a1, upheld: false, resolution: 'Calls were within the weekly limit; explained to the debtor', resolvedAt: '2026-04-12T09:00:00.000Z' }, '2026-04-12T09:00:00.000Z', {
    id: 'supervisor-3',
    role: 'supervisor',
  });
  const promise = a.call({ accountId: a1, intendedAt: '2026-04-14T20:15:00.000Z' }, 'promise-offered', { durationSeconds: 540, recordingReference: 'rec/2026/04/14/a1-2015', notes: true });
  aContacts.push(promise);
  a.append(
    'ProhibitedLanguageDetected',
    { accountId: a1, contactId: promise, source: 'notes', operatorId: 'collector-7', hits: [{ ruleId: 'lang.threat-arrest', category: 'threat-arrest', term: 'arrest' }] },
    '2026-04-14T20:25:00.000Z',
    { id: 'system:contact-attempts', role: 'system' },
  );
  aContacts.push(
    a.block({
      accountId: a1,
      intendedAt: '2026-04-15T02:30:00.000Z',
      operatorId: 'collector-9',
      reasons: [
        { ruleId: 'reg-f.quiet-hours', message: '21:30 in America/Chicago is outside 08:00–21:00', nextAllowedAt: '2026-04-15T13:00:00.000Z' },
        { ruleId: 'reg-f.post-conversation', message: 'A conversation took place on 2026-04-14; no call for 7 days', nextAllowedAt: '2026-04-21T20:15:00.000Z' },
      ],
      nextAllowedAt: '2026-04-21T20:15:00.000Z',
    }),
  );

  const b = new ContactStream(randomUUID(), { jurisdiction: 'US-NY', timeZones: ['America/New_York', 'America/Los_Angeles'], rulePack: 'reg-f' });
  const b1 = randomUUID();
  const bContacts = [
    b.call({ accountId: b1, intendedAt: '2026-04-08T17:00:00.000Z', operatorId: 'collector-9' }, 'voicemail'),
    b.call({ accountId: b1, intendedAt: '2026-04-09T16:00:00.000Z', operatorId: 'collector-9' }, 'third-party', { durationSeconds: 45 }),
  ];
  const complaintB = randomUUID();
  b.append(
    'ComplaintRecorded',
    { complaintId: complaintB, accountId: b1, category: 'third-party-disclosure', channel: 'call', description: sealed(), receivedAt: '2026-04-11T12:00:00.000Z' },
    '2026-04-11T12:05:00.000Z',
    { id: 'cs-agent-2', role: 'supervisor' },
  );
  bContacts.push(b.call({ accountId: b1, intendedAt: '2026-04-10T16:30:00.000Z' }, 'right-party-contact', { durationSeconds: 260 }));
  b.append('ComplaintResolved', { complaintId: complaintB, accountId: b1, upheld: true, resolution: 'Collector coached on third-party rules', resolvedAt: '2026-04-20T12:00:00.000Z' }, '2026-04-20T12:00:00.000Z', {
    id: 'supervisor-3',
    role: 'supervisor',
  });

  const c = new ContactStream(randomUUID(), cn);
  const c1 = randomUUID();
  const operator = 'collector-cn-1';
  const cContacts = [
    c.call({ accountId: c1, intendedAt: '2026-04-08T01:00:00.000Z', operatorId: operator }, 'right-party-contact', { durationSeconds: 180, recordingReference: 'rec-cn-0900' }),
    c.call({ accountId: c1, intendedAt: '2026-04-08T03:00:00.000Z', operatorId: operator }, 'refused', { durationSeconds: 30, recordingReference: 'rec-cn-1100' }),
    c.allow({ accountId: c1, intendedAt: '2026-04-08T06:00:00.000Z', operatorId: operator }),
  ];
  // Recorded as a right-party contact by mistake, then corrected: it was the debtor's brother.
  const corrected = cContacts[2]!;
  c.outcome(corrected, c1, 'right-party-contact', { durationSeconds: 20, recordingReference: 'rec-cn-1400', endedAt: '2026-04-08T06:01:00.000Z' });
  c.outcome(corrected, c1, 'third-party', { durationSeconds: 20, recordingReference: 'rec-cn-1400', endedAt: '2026-04-08T06:01:00.000Z' });
  cContacts.push(
    c.block({
      accountId: c1,
      intendedAt: '2026-04-08T08:00:00.000Z',
      operatorId: operator,
      reasons: [{ ruleId: 'cn.connected-calls', message: 'Three connected calls today already', counted: 3, limit: 3, nextAllowedAt: '2026-04-09T00:00:00.000Z' }],
      nextAllowedAt: '2026-04-09T00:00:00.000Z',
    }),
    c.block({
      accountId: c1,
      intendedAt: '2026-04-09T14:30:00.000Z',
      operatorId: operator,
      reasons: [{ ruleId: 'cn.quiet-hours', message: '22:30 in Asia/Shanghai is outside 08:00–22:00', nextAllowedAt: '2026-04-10T00:00:00.000Z' }],
      nextAllowedAt: '2026-04-10T00:00:00.000Z',
    }),
  );
  c.append(
    'ProhibitedLanguageDetected',
    {
      accountId: c1,
      source: 'script',
      operatorId: operator,
      hits: [
        { ruleId: 'lang.cn.false-lawsuit', category: 'threat-lawsuit-without-basis', term: '明天起诉你' },
        { ruleId: 'lang.cn.abuse', category: 'abuse', term: '骗子' },
      ],
    },
    '2026-04-09T02:00:00.000Z',
    { id: 'system:contact-attempts', role: 'system' },
  );
  c.append('ComplaintRecorded', { complaintId: randomUUID(), accountId: c1, category: 'language', description: sealed(), receivedAt: '2026-04-15T08:00:00.000Z' }, '2026-04-15T08:00:00.000Z', {
    id: 'cs-agent-5',
    role: 'supervisor',
  });

  const streams = [a, b, c];
  const accountsHistory = new History();
  const placements = [placement(accountsHistory, a1, 'acme', 'credit-card', 'US-IL'), placement(accountsHistory, c1, 'globex', 'telecom', 'CN')];
  return {
    streams,
    placements,
    events: [...placements, ...streams.flatMap((stream) => stream.events)],
    a: { debtorId: a.debtorId, accountId: a1, contacts: aContacts },
    b: { debtorId: b.debtorId, accountId: b1, contacts: bContacts },
    c: { debtorId: c.debtorId, accountId: c1, contacts: cContacts },
  };
}

/** An AccountPlaced, stored at position 0 of the account's stream on 1 March 2026. */
export function placement(history: History, accountId: string, creditorId: string, product: accounts.Product, jurisdiction: string): EventEnvelope {
  const placed = accountPlaced(accountId, { jurisdiction });
  return history.store({ ...placed, occurredAt: '2026-03-01T00:00:00.000Z', data: { ...placed.data, creditor: { creditorId, name: creditorId }, product } }, `account-${accountId}`, 0);
}
