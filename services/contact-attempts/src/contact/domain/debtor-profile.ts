import type { accounts, Encrypted } from '@arrears/contracts';

/**
 * What contact rules need to know about a case's debtor, folded from the accounts service's published events at
 * the moment of the decision (never from a copy that could lag: a cease-communication flag set a second ago must
 * already block). Personal values stay encrypted.
 */
export interface DebtorProfile {
  readonly accountId: string;
  readonly debtorId: string;
  readonly open: boolean;
  readonly jurisdiction: string;
  /** Undefined while unknown: the rules then judge every zone of the jurisdiction. */
  readonly timeZone: string | undefined;
  readonly flags: Readonly<Partial<Record<accounts.Flag, { readonly endsOn?: string }>>>;
  readonly phones: readonly Encrypted[];
  readonly emails: readonly Encrypted[];
  /** The postal address as JSON, encrypted, when the creditor gave one. */
  readonly postalAddress: Encrypted | undefined;
  readonly attorneyContact: Encrypted | undefined;
  readonly erased: boolean;
}

export function debtorProfile(history: readonly accounts.AccountEvent[]): DebtorProfile | undefined {
  let profile: DebtorProfile | undefined;
  for (const event of history) {
    if (event.type === 'AccountPlaced') {
      const { debtor } = event.data;
      profile = {
        accountId: event.data.accountId,
        debtorId: debtor.debtorId,
        open: true,
        jurisdiction: debtor.jurisdiction,
        timeZone: debtor.timeZone,
        flags: {},
        phones: debtor.phones.map((phone) => phone.number),
        emails: debtor.emails,
        postalAddress: debtor.postalAddress,
        attorneyContact: undefined,
        erased: false,
      };
      continue;
    }
    if (profile === undefined) continue;
    switch (event.type) {
      case 'AccountFlagged':
        profile = {
          ...profile,
          flags: { ...profile.flags, [event.data.flag]: event.data.endsOn === undefined ? {} : { endsOn: event.data.endsOn } },
          ...(event.data.attorneyContact === undefined ? {} : { attorneyContact: event.data.attorneyContact }),
        };
        break;
      case 'FlagCleared': {
        const { [event.data.flag]: _cleared, ...flags } = profile.flags;
        profile = { ...profile, flags, ...(event.data.flag === 'attorney-represented' ? { attorneyContact: undefined } : {}) };
        break;
      }
      case 'ContactDetailsUpdated':
        profile = { ...profile, timeZone: event.data.timeZone, phones: event.data.phones.map((phone) => phone.number), emails: event.data.emails, postalAddress: event.data.postalAddress };
        break;
      case 'AccountClosed':
        profile = { ...profile, open: false };
        break;
      case 'DebtorDataErased':
        profile = { ...profile, erased: true };
        break;
      default:
        break; // payments, adjustments, buckets and tiers do not change whom, when or how the debtor may be contacted
    }
  }
  return profile;
}
