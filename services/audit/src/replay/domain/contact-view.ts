import type { contactAttempts, EventEnvelope } from '@arrears/contracts';
import { unreachable } from './decode';

export interface ComplaintView {
  /** Null for a resolution whose complaint is not (yet) in the replayed history. */
  readonly category: string | null;
  readonly channel: string | null;
  readonly receivedAt: string | null;
  readonly status: 'open' | 'resolved';
  readonly upheld: boolean | null;
  readonly resolvedAt: string | null;
}

export interface ContactView {
  readonly attempts: {
    /** Compliance decisions: contacts allowed and contacts blocked before they happened. */
    readonly allowed: number;
    readonly blocked: number;
    /** How many blocked decisions each rule took part in. */
    readonly blockedByRule: Readonly<Record<string, number>>;
    /** Outcomes recorded, by outcome. */
    readonly outcomes: Readonly<Record<string, number>>;
    readonly conversations: number;
  };
  readonly lastDecision: {
    readonly contactId: string;
    readonly result: 'allowed' | 'blocked';
    readonly channel: contactAttempts.Channel;
    readonly intendedAt: string;
    readonly nextAllowedAt: string | null;
  } | null;
  readonly lastOutcome: { readonly contactId: string; readonly outcome: contactAttempts.Outcome; readonly conversation: boolean; readonly endedAt: string } | null;
  readonly complaints: { readonly open: number; readonly resolved: number; readonly upheld: number; readonly items: Readonly<Record<string, ComplaintView>> };
  readonly preferences: {
    readonly optedOutChannels: readonly contactAttempts.Channel[];
    readonly inconvenientTimes: readonly contactAttempts.TimeRange[];
    readonly inconvenientPlaces: readonly string[];
    readonly preferredTimes: readonly contactAttempts.TimeRange[];
  } | null;
  readonly prohibitedLanguage: number;
  readonly dialTargetsReleased: number;
}

export function initialContact(): ContactView {
  return {
    attempts: { allowed: 0, blocked: 0, blockedByRule: {}, outcomes: {}, conversations: 0 },
    lastDecision: null,
    lastOutcome: null,
    complaints: { open: 0, resolved: 0, upheld: 0, items: {} },
    preferences: null,
    prohibitedLanguage: 0,
    dialTargetsReleased: 0,
  };
}

const plusOne = (counts: Readonly<Record<string, number>>, keys: readonly string[]): Record<string, number> => {
  const next = { ...counts };
  for (const key of new Set(keys)) next[key] = (next[key] ?? 0) + 1;
  return next;
};

function withComplaint(view: ContactView, complaintId: string, change: (complaint: ComplaintView) => ComplaintView): ContactView {
  const known = view.complaints.items[complaintId] ?? { category: null, channel: null, receivedAt: null, status: 'open', upheld: null, resolvedAt: null };
  const items = { ...view.complaints.items, [complaintId]: change(known) };
  const all = Object.values(items);
  return {
    ...view,
    complaints: {
      open: all.filter((complaint) => complaint.status === 'open').length,
      resolved: all.filter((complaint) => complaint.status === 'resolved').length,
      upheld: all.filter((complaint) => complaint.upheld === true).length,
      items,
    },
  };
}

export function evolveContact(view: ContactView, event: contactAttempts.ContactEvent | contactAttempts.ScriptEvent, _envelope: EventEnvelope): ContactView {
  switch (event.type) {
    case 'ContactAllowed':
    case 'ContactBlocked': {
      const allowed = event.type === 'ContactAllowed';
      const { attempts } = view;
      return {
        ...view,
        attempts: {
          ...attempts,
          allowed: attempts.allowed + (allowed ? 1 : 0),
          blocked: attempts.blocked + (allowed ? 0 : 1),
          blockedByRule: allowed ? attempts.blockedByRule : plusOne(attempts.blockedByRule, event.data.reasons.map((reason) => reason.ruleId)),
        },
        lastDecision: {
          contactId: event.data.contactId,
          result: allowed ? 'allowed' : 'blocked',
          channel: event.data.channel,
          intendedAt: event.data.intendedAt,
          nextAllowedAt: event.type === 'ContactBlocked' ? (event.data.nextAllowedAt ?? null) : null,
        },
      };
    }
    case 'AttemptOutcomeRecorded': {
      const { contactId, outcome, conversation, endedAt } = event.data;
      return {
        ...view,
        attempts: { ...view.attempts, outcomes: plusOne(view.attempts.outcomes, [outcome]), conversations: view.attempts.conversations + (conversation ? 1 : 0) },
        lastOutcome: { contactId, outcome, conversation, endedAt },
      };
    }
    case 'ComplaintRecorded': {
      const { category, channel, receivedAt } = event.data;
      return withComplaint(view, event.data.complaintId, (complaint) => ({ ...complaint, category, channel: channel ?? null, receivedAt }));
    }
    case 'ComplaintResolved':
      return withComplaint(view, event.data.complaintId, (complaint) => ({ ...complaint, status: 'resolved', upheld: event.data.upheld, resolvedAt: event.data.resolvedAt }));
    case 'ContactPreferenceSet': {
      const { optedOutChannels, inconvenientTimes, inconvenientPlaces, preferredTimes } = event.data;
      return { ...view, preferences: { optedOutChannels, inconvenientTimes, inconvenientPlaces, preferredTimes } };
    }
    case 'ProhibitedLanguageDetected':
      return { ...view, prohibitedLanguage: view.prohibitedLanguage + 1 };
    case 'DialTargetReleased':
      return { ...view, dialTargetsReleased: view.dialTargetsReleased + 1 };
    case 'ScriptSaved':
    case 'ScriptRejected':
      return view; // the script library is no case's
    default:
      return unreachable(event);
  }
}
