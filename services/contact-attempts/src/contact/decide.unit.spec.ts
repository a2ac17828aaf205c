import { randomUUID } from 'node:crypto';
import { contactAttempts, ErrorCode, EventCatalog, type Encrypted, type Role } from '@arrears/contracts';
import { deciderSpec } from '@arrears/testing';
import { DEFAULT_COMPLIANCE_CONFIG } from '../compliance';
import { complianceRules } from './compliance-rules';
import { evolve, initialState, type ContactEvent } from './domain/contact';
import type { ContactCommandEnvelope, SealedContactCommand } from './domain/commands';
import type { DebtorProfile } from './domain/debtor-profile';
import { contactDecider } from './domain/decide';

const decide = contactDecider(complianceRules(DEFAULT_COMPLIANCE_CONFIG));
const catalog = new EventCatalog(contactAttempts.CONTACT_EVENTS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
const sealed = (label: string) => `pii:v1:${'A'.repeat(16)}:${Buffer.from(label).toString('base64url')}:${'B'.repeat(22)}` as Encrypted;
const PHONE = { kind: 'phone' as const, value: sealed('phone'), key: 'a'.repeat(64) };

const profile = (overrides: Partial<DebtorProfile> = {}): DebtorProfile => ({
  accountId,
  debtorId,
  open: true,
  jurisdiction: 'US-IL',
  timeZone: 'America/Chicago',
  flags: {},
  phones: [PHONE.value],
  emails: [],
  postalAddress: undefined,
  attorneyContact: undefined,
  erased: false,
  ...overrides,
});

function command(body: SealedContactCommand, now = '2026-11-30T16:00:00.000Z', role: Role = body.type === 'ReleaseDialTarget' ? 'dialer' : 'collector'): ContactCommandEnvelope {
  return {
    ...body,
    commandId: randomUUID(),
    schemaVersion: 1,
    metadata: { correlationId: randomUUID(), caseId: accountId, actorId: 'collector-7', actorRole: role, now },
  } as ContactCommandEnvelope;
}

function request(intendedAt: string, extra: Partial<Extract<SealedContactCommand, { type: 'RequestContact' }>['data']> = {}): SealedContactCommand {
  return { type: 'RequestContact', data: { contactId: randomUUID(), accountId, channel: 'call', target: PHONE, purpose: 'collection', intendedAt, profile: profile(), ...extra } };
}

type Hit = { ruleId: string; category: (typeof contactAttempts.LANGUAGE_CATEGORIES)[number]; term: string };
type OutcomeExtra = { notes?: Encrypted; notesHits?: Hit[]; transcript?: Encrypted; transcriptHits?: Hit[]; recordingReference?: string };
function outcome(contactId: string, value: contactAttempts.Outcome, extra: OutcomeExtra = {}): SealedContactCommand {
  return { type: 'RecordAttemptOutcome', data: { contactId, accountId, outcome: value, notesHits: [], profile: profile(), ...extra } };
}

/** Given these events, when this command: what it decides, each event checked against its published schema. */
const given = deciderSpec({
  initialState,
  evolve,
  decide,
  command: (body: SealedContactCommand, options?: { now?: string; role?: Role }) => command(body, options?.now, options?.role),
  check: (event: ContactEvent) => catalog.encode(event),
});

const ruleIds = (event: ContactEvent | undefined) => (event?.type === 'ContactBlocked' ? event.data.reasons.map((reason) => reason.ruleId) : []);

/** Calls allowed one after another, an hour apart from 10:00 Chicago time on 2026-11-30. */
function callsMade(count: number, withOutcome: contactAttempts.Outcome = 'no-answer'): ContactEvent[] {
  const history: ContactEvent[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.parse('2026-11-30T16:00:00.000Z') + i * 3_600_000).toISOString();
    const decided = given(...history).when(request(at)).events();
    history.push(...decided);
    const allowed = decided[0];
    if (allowed?.type !== 'ContactAllowed') throw new Error(`call ${i + 1} was not allowed: ${JSON.stringify(allowed)}`);
    history.push(...given(...history).when(outcome(allowed.data.contactId, withOutcome)).events());
  }
  return history;
}

describe('RequestContact', () => {
  it('allows a call at 10:00 in the debtor\'s zone and records the pack, jurisdiction and zones it was judged in', () => {
    const [decision] = given().when(request('2026-11-30T16:00:00.000Z')).events();
    expect(decision).toMatchObject({ type: 'ContactAllowed', data: { accountId, debtorId, rulePack: 'reg-f', jurisdiction: 'US-IL', timeZones: ['America/Chicago'], operatorId: 'collector-7' } });
  });

  it('blocks the 8th call in 7 days, saying what it counted and when the next is allowed', () => {
    const seven = callsMade(7);
    const [decision] = given(...seven).when(request('2026-12-01T16:00:00.000Z')).events();
    expect(decision?.type).toBe('ContactBlocked');
    const reason = decision?.type === 'ContactBlocked' ? decision.data.reasons.find((r) => r.ruleId === 'reg-f.call-frequency') : undefined;
    expect(reason).toMatchObject({ counted: 7, limit: 7, nextAllowedAt: expect.stringMatching(/^2026-12-07T10:00:00-06:00$/) });
  });

  it('blocks calls for 7 days after a conversation about the debt', () => {
    const talked = callsMade(1, 'right-party-contact');
    const [decision] = given(...talked).when(request('2026-12-03T16:00:00.000Z')).events();
    expect(ruleIds(decision)).toContain('reg-f.post-conversation');
  });

  it('blocks a call at 21:30 local time and names the next morning', () => {
    const [decision] = given().when(request('2026-12-01T03:30:00.000Z')).events();
    expect(decision).toMatchObject({ type: 'ContactBlocked', data: { nextAllowedAt: '2026-12-01T08:00:00-06:00' } });
    expect(ruleIds(decision)).toContain('reg-f.quiet-hours');
  });

  it('judges a debtor whose time zone is unknown in every zone of the jurisdiction', () => {
    const unknownZone = profile({ jurisdiction: 'US', timeZone: undefined });
    // 08:30 in Chicago is 06:30 on the Pacific coast and earlier in Alaska and Hawaii: some zone forbids it.
    const early = given().when(request('2026-11-30T14:30:00.000Z', { profile: unknownZone })).events()[0];
    expect(ruleIds(early)).toContain('reg-f.quiet-hours');
    expect(early?.data).toMatchObject({ timeZones: expect.arrayContaining(['America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu']) });
    // 14:00 in New York is 09:00 in Honolulu: every zone allows it.
    expect(given().when(request('2026-11-30T19:00:00.000Z', { profile: unknownZone })).events()[0]?.type).toBe('ContactAllowed');
  });

  it('blocks under a cease-communication flag set on the account', () => {
    const [decision] = given().when(request('2026-11-30T16:00:00.000Z', { profile: profile({ flags: { 'cease-communication': {} } }) })).events();
    expect(ruleIds(decision)).toContain('hold.cease-communication');
  });

  it('blocks an SMS without an opt-out, and one with a threat — which is also reported for supervisors', () => {
    const sms = (messageText: string) => request('2026-11-30T16:00:00.000Z', { channel: 'sms', messageText });
    expect(ruleIds(given().when(sms('Please call us about your account.')).events()[0])).toContain('msg.opt-out-missing');
    const events = given().when(sms('Pay today or the police will come. Reply STOP to opt out.')).events();
    expect(ruleIds(events[0])).toContain('language.prohibited');
    expect(events[1]).toMatchObject({ type: 'ProhibitedLanguageDetected', data: { source: 'message', operatorId: 'collector-7', hits: [expect.objectContaining({ category: 'threat-arrest' })] } });
  });

  it('is idempotent by contact id, and refuses the id reused for another request', () => {
    const first = request('2026-11-30T16:00:00.000Z');
    const decided = given().when(first).events();
    expect(given(...decided).when(first).events()).toEqual([]);
    const other = { ...first, data: { ...(first.data as object), intendedAt: '2026-11-30T17:00:00.000Z' } } as SealedContactCommand;
    given(...decided).when(other).thenRefuses(ErrorCode.IDEMPOTENCY_CONFLICT, 'data.contactId');
  });

  it('refuses contact about a closed account', () => {
    given().when(request('2026-11-30T16:00:00.000Z', { profile: profile({ open: false }) })).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
  });

  it('follows the debtor\'s preferences: a channel opted out of is blocked', () => {
    const prefs = given().when({ type: 'SetContactPreference', data: { accountId, optedOutChannels: ['call'], inconvenientTimes: [], inconvenientPlaces: [], preferredTimes: [], profile: profile() } }).events();
    expect(ruleIds(given(...prefs).when(request('2026-11-30T16:00:00.000Z')).events()[0])).toContain('pref.channel-opt-out');
  });
});

describe('RecordAttemptOutcome', () => {
  const allowedCall = () => given().when(request('2026-11-30T16:00:00.000Z')).events();
  const contactIdOf = (events: ContactEvent[]) => (events[0]?.data as { contactId: string }).contactId;

  it('records the outcome, whether it was a conversation and whether it connected', () => {
    const decided = allowedCall();
    expect(given(...decided).when(outcome(contactIdOf(decided), 'promise-offered')).events()).toEqual([
      { type: 'AttemptOutcomeRecorded', data: { contactId: contactIdOf(decided), accountId, debtorId, outcome: 'promise-offered', conversation: true, connected: true, endedAt: '2026-11-30T16:00:00.000Z' } },
    ]);
  });

  it('reports prohibited language found in the notes', () => {
    const decided = allowedCall();
    const hits = [{ ruleId: 'language.abuse', category: 'abuse' as const, term: 'deadbeat' }];
    const events = given(...decided).when(outcome(contactIdOf(decided), 'refused', { notes: sealed('notes'), notesHits: hits })).events();
    expect(events[1]).toEqual({ type: 'ProhibitedLanguageDetected', data: { accountId, debtorId, contactId: contactIdOf(decided), source: 'notes', operatorId: 'collector-7', hits } });
  });

  it('reports prohibited language found in the transcript apart from the notes', () => {
    const decided = allowedCall();
    const hits: Hit[] = [{ ruleId: 'language.threat-arrest', category: 'threat-arrest', term: '坐牢' }];
    const events = given(...decided).when(outcome(contactIdOf(decided), 'refused', { transcript: sealed('transcript'), transcriptHits: hits })).events();
    expect(events.map((event) => event.type)).toEqual(['AttemptOutcomeRecorded', 'ProhibitedLanguageDetected']);
    expect(events[0]?.data).toMatchObject({ transcript: sealed('transcript') });
    expect(events[1]?.data).toMatchObject({ source: 'transcript', hits });
  });

  it('refuses an outcome for an unknown or a blocked contact, and a second, different outcome', () => {
    given().when(outcome(randomUUID(), 'busy')).thenRefuses(ErrorCode.NOT_FOUND, 'data.contactId');
    const blocked = given().when(request('2026-12-01T03:30:00.000Z')).events();
    given(...blocked).when(outcome(contactIdOf(blocked), 'busy')).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.contactId');
    const decided = allowedCall();
    const recorded = given(...decided).when(outcome(contactIdOf(decided), 'busy')).events();
    expect(given(...decided, ...recorded).when(outcome(contactIdOf(decided), 'busy')).events()).toEqual([]);
    given(...decided, ...recorded).when(outcome(contactIdOf(decided), 'voicemail')).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.outcome');
  });

  it('needs the recording of a connected call under the China rules', () => {
    const cn = profile({ jurisdiction: 'CN', timeZone: 'Asia/Shanghai' });
    const decided = given().when(request('2026-11-30T02:00:00.000Z', { profile: cn, recordingPlanned: true })).events();
    expect(decided[0]).toMatchObject({ type: 'ContactAllowed', data: { rulePack: 'cn-post-loan' } });
    given(...decided).when(outcome(contactIdOf(decided), 'right-party-contact')).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.recordingReference');
    expect(given(...decided).when(outcome(contactIdOf(decided), 'right-party-contact', { recordingReference: 'rec-7781' })).events()[0]?.type).toBe('AttemptOutcomeRecorded');
  });
});

describe('ReleaseDialTarget', () => {
  const release = (contactId: string): SealedContactCommand => ({ type: 'ReleaseDialTarget', data: { contactId, accountId, profile: profile() } });
  const allowed = () => given().when(request('2026-11-30T16:00:00.000Z')).events();
  const idOf = (events: ContactEvent[]) => (events[0]?.data as { contactId: string }).contactId;

  it('releases an allowed contact\'s target to the dialer, once', () => {
    const decided = allowed();
    const released = given(...decided).when(release(idOf(decided))).events();
    expect(released).toEqual([{ type: 'DialTargetReleased', data: { contactId: idOf(decided), accountId, debtorId, channel: 'call', targetKind: 'phone' } }]);
    expect(given(...decided, ...released).when(release(idOf(decided))).events()).toEqual([]);
  });

  it('refuses everyone but the dialer, a blocked contact, and one that already took place', () => {
    const decided = allowed();
    given(...decided).when(release(idOf(decided)), { role: 'collector' }).thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
    given(...decided).when(release(idOf(decided)), { role: 'supervisor' }).thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
    const blocked = given().when(request('2026-12-01T03:30:00.000Z')).events();
    given(...blocked).when(release(idOf(blocked))).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.contactId');
    const done = given(...decided).when(outcome(idOf(decided), 'no-answer')).events();
    given(...decided, ...done).when(release(idOf(decided))).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.contactId');
    given().when(release(randomUUID())).thenRefuses(ErrorCode.NOT_FOUND, 'data.contactId');
  });
});

describe('preferences and complaints', () => {
  const complaintId = randomUUID();
  const complaint: SealedContactCommand = {
    type: 'RecordComplaint',
    data: { complaintId, accountId, category: 'frequency', channel: 'call', description: sealed('too many calls'), receivedAt: '2026-11-29T09:00:00.000Z', profile: profile() },
  };
  const resolve = (upheld: boolean): SealedContactCommand => ({ type: 'ResolveComplaint', data: { complaintId, accountId, upheld, resolution: 'calls capped at 3 a week', profile: profile() } });

  it('sets preferences once: the same again changes nothing', () => {
    const body: SealedContactCommand = { type: 'SetContactPreference', data: { accountId, optedOutChannels: ['sms'], inconvenientTimes: [{ from: '12:00', to: '13:00' }], inconvenientPlaces: ['work'], preferredTimes: [], profile: profile() } };
    const set = given().when(body).events();
    expect(set).toHaveLength(1);
    expect(given(...set).when(body).events()).toEqual([]);
  });

  it('records a complaint once, resolves it once', () => {
    const recorded = given().when(complaint).events();
    expect(recorded[0]).toMatchObject({ type: 'ComplaintRecorded', data: { complaintId, debtorId, category: 'frequency' } });
    expect(given(...recorded).when(complaint).events()).toEqual([]);
    const resolved = given(...recorded).when(resolve(true)).events();
    expect(resolved).toEqual([{ type: 'ComplaintResolved', data: { complaintId, accountId, debtorId, upheld: true, resolution: 'calls capped at 3 a week', resolvedAt: '2026-11-30T16:00:00.000Z' } }]);
    given(...recorded, ...resolved).when(resolve(true)).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.complaintId');
    given().when(resolve(false)).thenRefuses(ErrorCode.NOT_FOUND, 'data.complaintId');
  });
});
