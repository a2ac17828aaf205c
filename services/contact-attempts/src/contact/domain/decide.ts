import { ArrearsError, contactAttempts, ErrorCode } from '@arrears/contracts';
import { unreachable, type ContactEvent, type ContactState } from './contact';
import type { ContactCommandEnvelope } from './commands';
import type { ComplianceRules, LanguageHit } from './rules';

type Command<Type extends ContactCommandEnvelope['type']> = Extract<ContactCommandEnvelope, { type: Type }>;

/** Outcomes in which someone answered: what per-day connected-call caps count. */
const CONNECTED: readonly contactAttempts.Outcome[] = ['wrong-number', 'right-party-contact', 'third-party', 'refused', 'dispute-raised', 'promise-offered'];

/** The contact rules under one compliance configuration: `decide(command, state)` → events, or a thrown ArrearsError. */
export function contactDecider(rules: ComplianceRules): (command: ContactCommandEnvelope, state: ContactState) => ContactEvent[] {
  return (command, state) => {
    switch (command.type) {
      case 'RequestContact':
        return requestContact(command, state, rules);
      case 'RecordAttemptOutcome':
        return recordOutcome(command, state);
      case 'SetContactPreference':
        return setPreference(command, state);
      case 'RecordComplaint':
        return recordComplaint(command, state);
      case 'ResolveComplaint':
        return resolveComplaint(command, state);
      case 'ReleaseDialTarget':
        return releaseDialTarget(command, state);
      default:
        return unreachable(command);
    }
  };
}

function requestContact(command: Command<'RequestContact'>, state: ContactState, rules: ComplianceRules): ContactEvent[] {
  const { data, metadata } = command;
  const { profile } = data;
  const earlier = state.attempts.find((attempt) => attempt.contactId === data.contactId);
  if (earlier !== undefined) {
    if (earlier.accountId === data.accountId && earlier.channel === data.channel && earlier.targetKey === data.target.key && earlier.at === data.intendedAt) return [];
    throw new ArrearsError(ErrorCode.IDEMPOTENCY_CONFLICT, `Contact ${data.contactId} was already decided for another request`, { field: 'data.contactId' });
  }
  if (!profile.open) throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Account ${data.accountId} is closed: its debtor is not contacted about it`, { field: 'data.accountId' });
  const verdict = rules.check({
    request: {
      contactId: data.contactId,
      accountId: data.accountId,
      debtorId: profile.debtorId,
      channel: data.channel,
      targetKind: data.target.kind,
      targetKey: data.target.key,
      purpose: data.purpose,
      intendedAt: data.intendedAt,
      operatorId: metadata.actorId,
      ...(data.messageText === undefined ? {} : { messageText: data.messageText }),
      ...(data.recordingPlanned === undefined ? {} : { recordingPlanned: data.recordingPlanned }),
    },
    profile,
    preferences: state.preferences,
    history: state.attempts,
  });
  const decided = {
    contactId: data.contactId,
    accountId: data.accountId,
    debtorId: profile.debtorId,
    channel: data.channel,
    target: data.target,
    purpose: data.purpose,
    operatorId: metadata.actorId,
    intendedAt: data.intendedAt,
    rulePack: verdict.rulePack,
    jurisdiction: profile.jurisdiction,
    timeZones: [...verdict.timeZones],
    reasons: [...verdict.reasons],
  };
  const decision: ContactEvent = verdict.allowed
    ? { type: 'ContactAllowed', data: decided }
    : { type: 'ContactBlocked', data: { ...decided, ...(verdict.nextAllowedAt === undefined ? {} : { nextAllowedAt: verdict.nextAllowedAt }) } };
  const hits = data.messageText === undefined ? [] : rules.languageHits(data.messageText);
  return [decision, ...languageEvent(hits, 'message', data.accountId, profile.debtorId, metadata.actorId, data.contactId)];
}

function recordOutcome(command: Command<'RecordAttemptOutcome'>, state: ContactState): ContactEvent[] {
  const { data, metadata } = command;
  const attempt = state.attempts.find((candidate) => candidate.contactId === data.contactId);
  if (attempt === undefined || attempt.accountId !== data.accountId) {
    throw new ArrearsError(ErrorCode.NOT_FOUND, `No contact ${data.contactId} was requested on account ${data.accountId}`, { field: 'data.contactId' });
  }
  if (!attempt.allowed) throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Contact ${data.contactId} was blocked: it cannot have taken place`, { field: 'data.contactId' });
  if (attempt.outcome !== undefined) {
    if (attempt.outcome === data.outcome) return [];
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Contact ${data.contactId} already has its outcome (${attempt.outcome})`, { field: 'data.outcome' });
  }
  const connected = attempt.channel === 'call' || attempt.channel === 'visit' ? CONNECTED.includes(data.outcome) : false;
  if (attempt.channel === 'call' && attempt.rulePack === 'cn-post-loan' && connected && data.recordingReference === undefined) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'A connected call under the China post-loan rules needs its recording reference', { field: 'data.recordingReference' });
  }
  const recorded: ContactEvent = {
    type: 'AttemptOutcomeRecorded',
    data: {
      contactId: data.contactId,
      accountId: data.accountId,
      debtorId: data.profile.debtorId,
      outcome: data.outcome,
      conversation: contactAttempts.CONVERSATION_OUTCOMES.includes(data.outcome),
      connected,
      ...(data.durationSeconds === undefined ? {} : { durationSeconds: data.durationSeconds }),
      ...(data.recordingReference === undefined ? {} : { recordingReference: data.recordingReference }),
      ...(data.notes === undefined ? {} : { notes: data.notes }),
      ...(data.transcript === undefined ? {} : { transcript: data.transcript }),
      endedAt: metadata.now,
    },
  };
  return [
    recorded,
    ...languageEvent(data.notesHits, 'notes', data.accountId, data.profile.debtorId, metadata.actorId, data.contactId),
    ...languageEvent(data.transcriptHits ?? [], 'transcript', data.accountId, data.profile.debtorId, metadata.actorId, data.contactId),
  ];
}

function setPreference(command: Command<'SetContactPreference'>, state: ContactState): ContactEvent[] {
  const { accountId, optedOutChannels, inconvenientTimes, inconvenientPlaces, preferredTimes, profile } = command.data;
  const next = { optedOutChannels, inconvenientTimes, inconvenientPlaces, preferredTimes };
  if (JSON.stringify(next) === JSON.stringify(state.preferences)) return [];
  return [{ type: 'ContactPreferenceSet', data: { debtorId: profile.debtorId, accountId, ...next } }];
}

function recordComplaint(command: Command<'RecordComplaint'>, state: ContactState): ContactEvent[] {
  const { data } = command;
  const earlier = state.complaints.find((complaint) => complaint.complaintId === data.complaintId);
  if (earlier !== undefined) {
    if (earlier.accountId === data.accountId && earlier.receivedAt === data.receivedAt) return [];
    throw new ArrearsError(ErrorCode.IDEMPOTENCY_CONFLICT, `Complaint ${data.complaintId} was already recorded differently`, { field: 'data.complaintId' });
  }
  return [
    {
      type: 'ComplaintRecorded',
      data: {
        complaintId: data.complaintId,
        accountId: data.accountId,
        debtorId: data.profile.debtorId,
        category: data.category,
        ...(data.channel === undefined ? {} : { channel: data.channel }),
        description: data.description,
        receivedAt: data.receivedAt,
      },
    },
  ];
}

function resolveComplaint(command: Command<'ResolveComplaint'>, state: ContactState): ContactEvent[] {
  const { data, metadata } = command;
  const complaint = state.complaints.find((candidate) => candidate.complaintId === data.complaintId && candidate.accountId === data.accountId);
  if (complaint === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `No complaint ${data.complaintId} on account ${data.accountId}`, { field: 'data.complaintId' });
  if (complaint.resolved) throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Complaint ${data.complaintId} is already resolved`, { field: 'data.complaintId' });
  return [
    {
      type: 'ComplaintResolved',
      data: { complaintId: data.complaintId, accountId: data.accountId, debtorId: data.profile.debtorId, upheld: data.upheld, resolution: data.resolution, resolvedAt: metadata.now },
    },
  ];
}

/**
 * Only the dialer gets the full number, only for an allowed contact that has not happened yet, and the release is
 * recorded once: a second ask for the same contact is answered again without a new event.
 */
function releaseDialTarget(command: Command<'ReleaseDialTarget'>, state: ContactState): ContactEvent[] {
  const { data, metadata } = command;
  if (metadata.actorRole !== 'dialer') {
    throw new ArrearsError(ErrorCode.FORBIDDEN, `Only the dialer is given full numbers; a ${metadata.actorRole} sees them masked`, { field: 'metadata.actorRole' });
  }
  const attempt = state.attempts.find((candidate) => candidate.contactId === data.contactId && candidate.accountId === data.accountId);
  if (attempt === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `No contact ${data.contactId} was requested on account ${data.accountId}`, { field: 'data.contactId' });
  if (!attempt.allowed) throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Contact ${data.contactId} was blocked: there is nothing to dial`, { field: 'data.contactId' });
  if (attempt.outcome !== undefined) throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Contact ${data.contactId} already took place (${attempt.outcome})`, { field: 'data.contactId' });
  if (attempt.released) return [];
  return [{ type: 'DialTargetReleased', data: { contactId: data.contactId, accountId: data.accountId, debtorId: data.profile.debtorId, channel: attempt.channel, targetKind: attempt.targetKind } }];
}

function languageEvent(
  hits: readonly LanguageHit[],
  source: 'message' | 'notes' | 'transcript',
  accountId: string,
  debtorId: string,
  operatorId: string,
  contactId: string,
): ContactEvent[] {
  if (hits.length === 0) return [];
  return [{ type: 'ProhibitedLanguageDetected', data: { accountId, debtorId, contactId, source, operatorId, hits: hits.map((hit) => ({ ...hit })) } }];
}
