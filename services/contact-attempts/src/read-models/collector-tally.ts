import type { contactAttempts } from '@arrears/contracts';
import type { Decision } from './entities';

/**
 * Outcomes in which the debtor was reached: a right-party contact in the collections sense. Promises, refusals and
 * disputes are conversations with the debtor too, so a collector who took a promise is not scored lower for it.
 * A third party is not the right party.
 */
export const RIGHT_PARTY_OUTCOMES: readonly contactAttempts.Outcome[] = ['right-party-contact', 'promise-offered', 'refused', 'dispute-raised'];

export function isRightParty(outcome: contactAttempts.Outcome): boolean {
  return RIGHT_PARTY_OUTCOMES.includes(outcome);
}

/** What one contact adds to its collector's day. */
export interface Tally {
  readonly attempts: number;
  readonly blocked: number;
  readonly rightPartyContacts: number;
  readonly conversations: number;
  readonly promisesOffered: number;
}

export interface DayTally {
  readonly operatorId: string;
  /** The UTC date of the contact's `intendedAt`. */
  readonly day: string;
  readonly tally: Tally;
}

/** The fields of a contact's row that its tally depends on. */
export interface TalliedContact {
  readonly operatorId: string;
  readonly intendedAt: Date;
  readonly decision: Decision;
  readonly outcome: contactAttempts.Outcome | null;
  readonly conversation: boolean | null;
  readonly rightParty: boolean | null;
}

export function dayTallyOf(contact: TalliedContact): DayTally {
  return {
    operatorId: contact.operatorId,
    day: contact.intendedAt.toISOString().slice(0, 10),
    tally: {
      attempts: contact.decision === 'allowed' ? 1 : 0,
      blocked: contact.decision === 'blocked' ? 1 : 0,
      rightPartyContacts: contact.rightParty === true ? 1 : 0,
      conversations: contact.conversation === true ? 1 : 0,
      promisesOffered: contact.outcome === 'promise-offered' ? 1 : 0,
    },
  };
}

/**
 * The changes to collector days when a contact's row goes from `before` (absent for a new contact) to `after`: the
 * old row's tally taken back from its day, the new one's added to its own (a decision made again may move the
 * contact to another collector or day). Changes that cancel out are left out.
 */
export function tallyChanges(before: TalliedContact | null, after: TalliedContact): DayTally[] {
  const changes = new Map<string, DayTally>();
  const add = (entry: DayTally, sign: 1 | -1) => {
    const key = JSON.stringify([entry.operatorId, entry.day]);
    const sum = changes.get(key)?.tally ?? ZERO;
    changes.set(key, { operatorId: entry.operatorId, day: entry.day, tally: combine(sum, entry.tally, sign) });
  };
  if (before !== null) add(dayTallyOf(before), -1);
  add(dayTallyOf(after), 1);
  return [...changes.values()].filter((change) => Object.values(change.tally).some((value) => value !== 0));
}

const ZERO: Tally = { attempts: 0, blocked: 0, rightPartyContacts: 0, conversations: 0, promisesOffered: 0 };

function combine(a: Tally, b: Tally, sign: 1 | -1): Tally {
  return {
    attempts: a.attempts + sign * b.attempts,
    blocked: a.blocked + sign * b.blocked,
    rightPartyContacts: a.rightPartyContacts + sign * b.rightPartyContacts,
    conversations: a.conversations + sign * b.conversations,
    promisesOffered: a.promisesOffered + sign * b.promisesOffered,
  };
}
