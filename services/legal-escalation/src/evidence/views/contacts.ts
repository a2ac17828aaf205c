import type { contactAttempts } from '@arrears/contracts';
import { ENCRYPTED, sourceOf, type DecodedEvent, type Source } from './decode';

type ContactEventOf<T extends contactAttempts.ContactEvent['type']> = Extract<contactAttempts.ContactEvent, { type: T }>;

export interface ContactDecision extends Source {
  readonly result: 'allowed' | 'blocked';
  /** Every rule's say: which rule, why, what it counted against what limit. */
  readonly reasons: readonly contactAttempts.ComplianceReason[];
  readonly nextAllowedAt: string | null;
}

export interface ContactOutcome extends Source {
  readonly outcome: contactAttempts.Outcome;
  readonly conversation: boolean;
  readonly connected: boolean;
  readonly durationSeconds: number | null;
  readonly recordingReference: string | null;
  readonly notes: string | null;
  readonly transcript: string | null;
  readonly endedAt: string;
}

/** One contact: the compliance decision taken before it and, if it went ahead, what came of it. */
export interface ContactAttempt {
  readonly contactId: string;
  readonly debtorId: string;
  readonly channel: contactAttempts.Channel | null;
  readonly targetKind: string | null;
  readonly purpose: string | null;
  readonly operatorId: string | null;
  readonly intendedAt: string | null;
  readonly rulePack: string | null;
  readonly jurisdiction: string | null;
  readonly timeZones: readonly string[];
  readonly decision: ContactDecision | null;
  readonly outcome: ContactOutcome | null;
}

export interface Complaint {
  readonly complaintId: string;
  /** Null only for a resolution whose complaint is not in the history (it should always be). */
  readonly category: string | null;
  readonly channel: string | null;
  readonly description: string | null;
  readonly receivedAt: string | null;
  readonly recorded: Source | null;
  readonly resolution: (Source & { readonly upheld: boolean; readonly resolution: string; readonly resolvedAt: string }) | null;
}

/** The contact log: every attempt with its compliance decision and outcome, complaints, flagged language, preferences. */
export interface ContactLog {
  readonly attempts: readonly ContactAttempt[];
  readonly complaints: readonly Complaint[];
  readonly prohibitedLanguage: readonly (Source & { readonly source: string; readonly operatorId: string; readonly contactId: string | null; readonly hits: ContactEventOf<'ProhibitedLanguageDetected'>['data']['hits'] })[];
  readonly preferences: readonly (Source & Omit<ContactEventOf<'ContactPreferenceSet'>['data'], 'debtorId' | 'accountId'>)[];
  readonly dialTargetsReleased: readonly (Source & { readonly contactId: string; readonly channel: string; readonly targetKind: string; readonly actorId: string })[];
  readonly totals: {
    readonly allowed: number;
    readonly blocked: number;
    readonly outcomes: Readonly<Record<string, number>>;
    readonly conversations: number;
    readonly complaints: number;
    readonly complaintsUpheld: number;
  };
}

export function contactLogOf(history: readonly DecodedEvent[]): ContactLog {
  const attempts = new Map<string, ContactAttempt>();
  const complaints = new Map<string, Complaint>();
  const prohibitedLanguage: ContactLog['prohibitedLanguage'][number][] = [];
  const preferences: ContactLog['preferences'][number][] = [];
  const dialTargetsReleased: ContactLog['dialTargetsReleased'][number][] = [];

  const attempt = (contactId: string, debtorId: string): ContactAttempt =>
    attempts.get(contactId) ?? {
      contactId,
      debtorId,
      channel: null,
      targetKind: null,
      purpose: null,
      operatorId: null,
      intendedAt: null,
      rulePack: null,
      jurisdiction: null,
      timeZones: [],
      decision: null,
      outcome: null,
    };

  for (const decoded of history) {
    const { event } = decoded;
    switch (event.type) {
      case 'ContactAllowed':
      case 'ContactBlocked': {
        const { data } = event;
        attempts.set(data.contactId, {
          ...attempt(data.contactId, data.debtorId),
          channel: data.channel,
          targetKind: data.target.kind,
          purpose: data.purpose,
          operatorId: data.operatorId,
          intendedAt: data.intendedAt,
          rulePack: data.rulePack,
          jurisdiction: data.jurisdiction,
          timeZones: data.timeZones,
          decision: {
            ...sourceOf(decoded),
            result: event.type === 'ContactAllowed' ? 'allowed' : 'blocked',
            reasons: data.reasons,
            nextAllowedAt: event.type === 'ContactBlocked' ? (event.data.nextAllowedAt ?? null) : null,
          },
        });
        break;
      }
      case 'AttemptOutcomeRecorded': {
        const { data } = event;
        attempts.set(data.contactId, {
          ...attempt(data.contactId, data.debtorId),
          outcome: {
            ...sourceOf(decoded),
            outcome: data.outcome,
            conversation: data.conversation,
            connected: data.connected,
            durationSeconds: data.durationSeconds ?? null,
            recordingReference: data.recordingReference ?? null,
            notes: data.notes === undefined ? null : ENCRYPTED,
            transcript: data.transcript === undefined ? null : ENCRYPTED,
            endedAt: data.endedAt,
          },
        });
        break;
      }
      case 'ComplaintRecorded': {
        const { data } = event;
        complaints.set(data.complaintId, {
          complaintId: data.complaintId,
          category: data.category,
          channel: data.channel ?? null,
          description: ENCRYPTED,
          receivedAt: data.receivedAt,
          recorded: sourceOf(decoded),
          resolution: complaints.get(data.complaintId)?.resolution ?? null,
        });
        break;
      }
      case 'ComplaintResolved': {
        const { data } = event;
        const known = complaints.get(data.complaintId);
        const resolution = { ...sourceOf(decoded), upheld: data.upheld, resolution: data.resolution, resolvedAt: data.resolvedAt };
        complaints.set(
          data.complaintId,
          known === undefined
            ? { complaintId: data.complaintId, category: null, channel: null, description: null, receivedAt: null, recorded: null, resolution }
            : { ...known, resolution },
        );
        break;
      }
      case 'ProhibitedLanguageDetected': {
        const { data } = event;
        prohibitedLanguage.push({ ...sourceOf(decoded), source: data.source, operatorId: data.operatorId, contactId: data.contactId ?? null, hits: data.hits });
        break;
      }
      case 'ContactPreferenceSet': {
        const { debtorId: _debtorId, accountId: _accountId, ...preference } = event.data;
        preferences.push({ ...sourceOf(decoded), ...preference });
        break;
      }
      case 'DialTargetReleased': {
        const { data } = event;
        dialTargetsReleased.push({ ...sourceOf(decoded), contactId: data.contactId, channel: data.channel, targetKind: data.targetKind, actorId: decoded.envelope.metadata.actorId });
        break;
      }
      default:
        break;
    }
  }

  const all = [...attempts.values()];
  const outcomes: Record<string, number> = {};
  for (const { outcome } of all) if (outcome !== null) outcomes[outcome.outcome] = (outcomes[outcome.outcome] ?? 0) + 1;
  const complaintList = [...complaints.values()];
  return {
    attempts: all,
    complaints: complaintList,
    prohibitedLanguage,
    preferences,
    dialTargetsReleased,
    totals: {
      allowed: all.filter((entry) => entry.decision?.result === 'allowed').length,
      blocked: all.filter((entry) => entry.decision?.result === 'blocked').length,
      outcomes,
      conversations: all.filter((entry) => entry.outcome?.conversation === true).length,
      complaints: complaintList.length,
      complaintsUpheld: complaintList.filter((complaint) => complaint.resolution?.upheld === true).length,
    },
  };
}
