import type { contactAttempts } from '@arrears/contracts';

export type ContactEvent = contactAttempts.ContactEvent;

/** One decided contact of the debtor's, with what came of it once recorded. */
export interface Attempt {
  readonly contactId: string;
  readonly accountId: string;
  readonly channel: contactAttempts.Channel;
  readonly targetKind: contactAttempts.SealedTarget['kind'];
  readonly targetKey: string;
  readonly at: string;
  readonly allowed: boolean;
  readonly rulePack: string;
  readonly outcome?: contactAttempts.Outcome;
  readonly connected: boolean;
  readonly conversation: boolean;
  /** The dialer was given the full target. */
  readonly released: boolean;
}

export interface Preferences {
  readonly optedOutChannels: readonly contactAttempts.Channel[];
  readonly inconvenientTimes: readonly contactAttempts.TimeRange[];
  readonly inconvenientPlaces: readonly string[];
  readonly preferredTimes: readonly contactAttempts.TimeRange[];
}

export interface Complaint {
  readonly complaintId: string;
  readonly accountId: string;
  readonly receivedAt: string;
  readonly resolved: boolean;
}

/** The debtor's contact record (`contact-<debtorId>`): every decision, outcome, preference and complaint. */
export interface ContactState {
  readonly attempts: readonly Attempt[];
  readonly preferences: Preferences;
  readonly complaints: readonly Complaint[];
}

export const NO_PREFERENCES: Preferences = { optedOutChannels: [], inconvenientTimes: [], inconvenientPlaces: [], preferredTimes: [] };

export function initialState(): ContactState {
  return { attempts: [], preferences: NO_PREFERENCES, complaints: [] };
}

export function evolve(state: ContactState, event: ContactEvent): ContactState {
  switch (event.type) {
    case 'ContactAllowed':
    case 'ContactBlocked': {
      const { data } = event;
      const attempt: Attempt = {
        contactId: data.contactId,
        accountId: data.accountId,
        channel: data.channel,
        targetKind: data.target.kind,
        targetKey: data.target.key,
        at: data.intendedAt,
        allowed: event.type === 'ContactAllowed',
        rulePack: data.rulePack,
        connected: false,
        conversation: false,
        released: false,
      };
      return { ...state, attempts: [...state.attempts, attempt] };
    }
    case 'AttemptOutcomeRecorded':
      return {
        ...state,
        attempts: state.attempts.map((attempt) =>
          attempt.contactId === event.data.contactId ? { ...attempt, outcome: event.data.outcome, connected: event.data.connected, conversation: event.data.conversation } : attempt,
        ),
      };
    case 'ProhibitedLanguageDetected':
      return state;
    case 'DialTargetReleased':
      return { ...state, attempts: state.attempts.map((attempt) => (attempt.contactId === event.data.contactId ? { ...attempt, released: true } : attempt)) };
    case 'ContactPreferenceSet': {
      const { optedOutChannels, inconvenientTimes, inconvenientPlaces, preferredTimes } = event.data;
      return { ...state, preferences: { optedOutChannels, inconvenientTimes, inconvenientPlaces, preferredTimes } };
    }
    case 'ComplaintRecorded':
      return { ...state, complaints: [...state.complaints, { complaintId: event.data.complaintId, accountId: event.data.accountId, receivedAt: event.data.receivedAt, resolved: false }] };
    case 'ComplaintResolved':
      return { ...state, complaints: state.complaints.map((complaint) => (complaint.complaintId === event.data.complaintId ? { ...complaint, resolved: true } : complaint)) };
    default:
      return unreachable(event);
  }
}

export function unreachable(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}
