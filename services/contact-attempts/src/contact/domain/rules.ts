import type { contactAttempts } from '@arrears/contracts';
import type { Attempt, Preferences } from './contact';
import type { DebtorProfile } from './debtor-profile';

/** A contact about to happen, as the compliance rules judge it. */
export interface ContactCheck {
  readonly request: {
    readonly contactId: string;
    readonly accountId: string;
    readonly debtorId: string;
    readonly channel: contactAttempts.Channel;
    readonly targetKind: contactAttempts.SealedTarget['kind'];
    readonly targetKey: string;
    readonly purpose: (typeof contactAttempts.PURPOSES)[number];
    readonly intendedAt: string;
    readonly operatorId: string;
    readonly messageText?: string;
    readonly recordingPlanned?: boolean;
  };
  readonly profile: DebtorProfile;
  readonly preferences: Preferences;
  /** Every earlier decision about this debtor, with its outcome once recorded. */
  readonly history: readonly Attempt[];
}

export interface ContactVerdict {
  readonly allowed: boolean;
  readonly rulePack: string;
  readonly timeZones: readonly string[];
  readonly reasons: readonly contactAttempts.ComplianceReason[];
  readonly nextAllowedAt?: string;
}

export type LanguageHit = { readonly ruleId: string; readonly category: (typeof contactAttempts.LANGUAGE_CATEGORIES)[number]; readonly term: string };

/**
 * What the contact decider asks of the compliance engine (src/compliance): a verdict on a contact, and the
 * prohibited language in a text. Pure functions of their inputs and the engine's configuration.
 */
export interface ComplianceRules {
  check(input: ContactCheck): ContactVerdict;
  languageHits(text: string): readonly LanguageHit[];
}
