import { ArrearsError, ErrorCode, type accounts, type CommandEnvelope, type Encrypted } from '@arrears/contracts';
import { SubjectErasedError, type PersonalDataVault } from '@arrears/security';
import type { AccountCommandEnvelope } from './domain/commands';

export type PlainAccountCommand = Omit<CommandEnvelope, 'type' | 'data'> & accounts.AccountCommand;

/**
 * Encrypts every personal field of a command under the debtor's key, so that nothing past this point — the
 * decision, the store, NATS, the read models, the logs — ever holds the plaintext. `debtorOf` finds the debtor of
 * an account already placed (commands after the placement do not name them).
 */
export async function sealCommand(vault: PersonalDataVault, command: PlainAccountCommand, debtorOf: (accountId: string) => Promise<string>): Promise<AccountCommandEnvelope> {
  try {
    switch (command.type) {
      case 'PlaceAccount': {
        const { debtor, ...rest } = command.data;
        const subject = debtor.debtorId;
        const sealed: accounts.SealedDebtor = {
          debtorId: debtor.debtorId,
          name: await vault.encrypt(subject, 'name', debtor.name),
          ...(await sealContactDetails(vault, subject, debtor)),
          ...(debtor.nationalId === undefined ? {} : { nationalId: await vault.encrypt(subject, 'nationalId', debtor.nationalId) }),
          ...(debtor.timeZone === undefined ? {} : { timeZone: debtor.timeZone }),
          jurisdiction: debtor.jurisdiction,
          language: debtor.language,
        };
        return { ...command, data: { ...rest, debtor: sealed } };
      }
      case 'UpdateContactDetails': {
        const { phones, emails, postalAddress, ...rest } = command.data;
        const subject = await debtorOf(command.data.accountId);
        return { ...command, data: { ...rest, ...(await sealContactDetails(vault, subject, { phones, emails, postalAddress })) } };
      }
      case 'FlagAccount': {
        const { attorneyContact, ...rest } = command.data;
        if (attorneyContact === undefined) return { ...command, data: rest };
        const subject = await debtorOf(command.data.accountId);
        return { ...command, data: { ...rest, attorneyContact: await vault.encrypt(subject, 'attorneyContact', attorneyContact) } };
      }
      default:
        return command;
    }
  } catch (error) {
    if (error instanceof SubjectErasedError) {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, "The debtor's personal data was erased: no new personal data is kept for them", { field: 'accountId' });
    }
    throw error;
  }
}

async function sealContactDetails(vault: PersonalDataVault, subject: string, details: accounts.ContactDetails): Promise<accounts.SealedContactDetails> {
  const phones: { number: Encrypted; kind: (typeof details.phones)[number]['kind'] }[] = [];
  for (const phone of details.phones) phones.push({ number: await vault.encrypt(subject, 'phone', phone.number), kind: phone.kind });
  const emails: Encrypted[] = [];
  for (const email of details.emails) emails.push(await vault.encrypt(subject, 'email', email));
  return {
    phones,
    emails,
    ...(details.postalAddress === undefined ? {} : { postalAddress: await vault.encrypt(subject, 'postalAddress', JSON.stringify(details.postalAddress)) }),
  };
}
