import type { accounts, CommandEnvelope, Encrypted } from '@arrears/contracts';

type Plain<Type extends accounts.AccountCommand['type']> = Extract<accounts.AccountCommand, { type: Type }>['data'];

/**
 * The commands as `decide` sees them: exactly the published ones, except that every personal field has already
 * been encrypted under the debtor's key by the handler (encryption needs the key store and randomness, which
 * pure code may not touch).
 */
export type SealedAccountCommand =
  | { readonly type: 'PlaceAccount'; readonly data: Omit<Plain<'PlaceAccount'>, 'debtor'> & { readonly debtor: accounts.SealedDebtor } }
  | {
      readonly type: 'UpdateContactDetails';
      readonly data: Omit<Plain<'UpdateContactDetails'>, 'phones' | 'emails' | 'postalAddress'> & accounts.SealedContactDetails;
    }
  | { readonly type: 'FlagAccount'; readonly data: Omit<Plain<'FlagAccount'>, 'attorneyContact'> & { readonly attorneyContact?: Encrypted } }
  | Exclude<accounts.AccountCommand, { type: 'PlaceAccount' | 'UpdateContactDetails' | 'FlagAccount' }>;

export type AccountCommandEnvelope = Omit<CommandEnvelope, 'type' | 'data'> & SealedAccountCommand;

// Keep the published command list and this one in step: a command added to contracts fails to compile here.
type _EveryCommandSealed = SealedAccountCommand['type'] extends accounts.AccountCommand['type']
  ? accounts.AccountCommand['type'] extends SealedAccountCommand['type']
    ? true
    : never
  : never;
export const EVERY_COMMAND_SEALED: _EveryCommandSealed = true;
