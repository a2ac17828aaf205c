import type { CommandEnvelope, contactAttempts, Encrypted } from '@arrears/contracts';
import type { DebtorProfile } from './debtor-profile';
import type { LanguageHit } from './rules';

type Plain<Type extends contactAttempts.ContactCommand['type']> = Extract<contactAttempts.ContactCommand, { type: Type }>['data'];

/**
 * The commands as `decide` sees them: the debtor's profile attached (folded from the account's events at this
 * moment), targets and free texts encrypted under the debtor's key, and the language check of notes already run
 * on the plaintext (which `decide` never sees).
 */
export type SealedContactCommand =
  | {
      readonly type: 'RequestContact';
      readonly data: Omit<Plain<'RequestContact'>, 'target'> & { readonly target: contactAttempts.SealedTarget; readonly profile: DebtorProfile };
    }
  | {
      readonly type: 'RecordAttemptOutcome';
      readonly data: Omit<Plain<'RecordAttemptOutcome'>, 'notes' | 'transcript'> & {
        readonly notes?: Encrypted;
        readonly notesHits: readonly LanguageHit[];
        readonly transcript?: Encrypted;
        readonly transcriptHits?: readonly LanguageHit[];
        readonly profile: DebtorProfile;
      };
    }
  | { readonly type: 'SetContactPreference'; readonly data: Plain<'SetContactPreference'> & { readonly profile: DebtorProfile } }
  | { readonly type: 'RecordComplaint'; readonly data: Omit<Plain<'RecordComplaint'>, 'description'> & { readonly description: Encrypted; readonly profile: DebtorProfile } }
  | { readonly type: 'ResolveComplaint'; readonly data: Plain<'ResolveComplaint'> & { readonly profile: DebtorProfile } }
  | { readonly type: 'ReleaseDialTarget'; readonly data: Plain<'ReleaseDialTarget'> & { readonly profile: DebtorProfile } };

export type ContactCommandEnvelope = Omit<CommandEnvelope, 'type' | 'data'> & SealedContactCommand;

type _EveryCommandSealed = SealedContactCommand['type'] extends contactAttempts.ContactCommand['type']
  ? contactAttempts.ContactCommand['type'] extends SealedContactCommand['type']
    ? true
    : never
  : never;
export const EVERY_CONTACT_COMMAND_SEALED: _EveryCommandSealed = true;
