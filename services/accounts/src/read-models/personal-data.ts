import { accounts, ERASED, type Encrypted, type PersonalField } from '@arrears/contracts';
import { maskEmail, maskName, maskNationalId, maskPhone, maskPostalAddress } from '@arrears/security';

/**
 * What the projection needs of the personal-data vault: one field opened at a time, to be masked at once and
 * forgotten. The vault (`@arrears/security`) binds each value to its subject and field, so both are passed.
 */
export interface PersonalDataReader {
  /** The plaintext, or ERASED when the subject was erased (their key is gone). */
  reveal(subjectId: string, field: PersonalField, value: Encrypted): Promise<string>;
}

export interface MaskedContact {
  /** The vault read the subject as erased: every personal column is then ERASED, whatever else this says. */
  readonly erased: boolean;
  /** The first phone listed: the one a collector dials first. */
  readonly phone: string | null;
  /** The first email listed. */
  readonly email: string | null;
  /** City and country. */
  readonly address: string | null;
}

export interface MaskedDebtor extends MaskedContact {
  readonly name: string;
  readonly nationalId: string | null;
}

/** Only the fields the read model shows are opened: the primary phone and email, not every one listed. */
export async function maskContactDetails(reader: PersonalDataReader, debtorId: string, sealed: accounts.SealedContactDetails): Promise<MaskedContact> {
  const vault = noticingErasure(reader);
  const phone = sealed.phones[0];
  const email = sealed.emails[0];
  const masked = {
    phone: phone === undefined ? null : maskPhone(await vault.reveal(debtorId, 'phone', phone.number)),
    email: email === undefined ? null : maskEmail(await vault.reveal(debtorId, 'email', email)),
    address: sealed.postalAddress === undefined ? null : maskPostalAddress(postalAddress(await vault.reveal(debtorId, 'postalAddress', sealed.postalAddress))),
  };
  return { ...masked, erased: vault.erased };
}

export async function maskDebtor(reader: PersonalDataReader, debtor: accounts.SealedDebtor): Promise<MaskedDebtor> {
  const vault = noticingErasure(reader);
  const name = maskName(await vault.reveal(debtor.debtorId, 'name', debtor.name));
  const nationalId = debtor.nationalId === undefined ? null : maskNationalId(await vault.reveal(debtor.debtorId, 'nationalId', debtor.nationalId));
  const contact = await maskContactDetails(reader, debtor.debtorId, debtor);
  return { ...contact, name, nationalId, erased: vault.erased || contact.erased };
}

/** A reader that remembers whether any field came back ERASED. */
function noticingErasure(reader: PersonalDataReader): PersonalDataReader & { readonly erased: boolean } {
  let erased = false;
  return {
    async reveal(subjectId, field, value) {
      const plaintext = await reader.reveal(subjectId, field, value);
      if (plaintext === ERASED) erased = true;
      return plaintext;
    },
    get erased() {
      return erased;
    },
  };
}

/** The address is encrypted as JSON. The error names no part of it: messages end up in logs and dead letters. */
function postalAddress(plaintext: string): accounts.PostalAddress | typeof ERASED {
  if (plaintext === ERASED) return ERASED;
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext);
  } catch {
    throw new Error('The decrypted postal address is not JSON');
  }
  const result = accounts.PostalAddressSchema.safeParse(parsed);
  if (!result.success) throw new Error(`The decrypted postal address does not match the contract (${result.error.issues.map((issue) => issue.path.join('.')).join(', ')})`);
  return result.data;
}
