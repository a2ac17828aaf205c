import { accounts, ArrearsError, contactAttempts, ErrorCode, EventCatalog, type CommandEnvelope, type Encrypted, type PersonalField } from '@arrears/contracts';
import { handleCommand, type CommandOutcome, type EventStore } from '@arrears/event-store';
import { SubjectErasedError, type PersonalDataVault } from '@arrears/security';
import { countComplianceDecisions } from '../compliance/compliance-metrics';
import { evolve, initialState } from './domain/contact';
import type { ContactCommandEnvelope } from './domain/commands';
import { debtorProfile, type DebtorProfile } from './domain/debtor-profile';
import { contactDecider } from './domain/decide';
import type { ComplianceRules } from './domain/rules';
import { sameTarget, targetKey } from './targets';

export const CONTACT_EVENT_CATALOG = new EventCatalog(contactAttempts.CONTACT_EVENTS);
const ACCOUNT_EVENT_CATALOG = new EventCatalog(accounts.ACCOUNT_EVENTS);

type PlainContactCommand = Omit<CommandEnvelope, 'type' | 'data'> & contactAttempts.ContactCommand;

const TARGET_FIELDS: Record<contactAttempts.SealedTarget['kind'], PersonalField> = { phone: 'phone', email: 'email', address: 'postalAddress', attorney: 'attorneyContact' };

export function contactStream(debtorId: string): string {
  return `contact-${debtorId}`;
}

/**
 * The contact-attempts command side. The debtor's profile is folded from the account's own events at the moment of
 * the command, so a hold set a moment ago already counts; targets and free texts are encrypted under the debtor's
 * key before anything is decided or stored; then load → decide → append on the debtor's contact record.
 */
export class ContactCommands {
  private readonly decide: ReturnType<typeof contactDecider>;

  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    private readonly rules: ComplianceRules,
    private readonly targetSecret: Buffer,
  ) {
    this.decide = contactDecider(rules);
  }

  async handle(command: PlainContactCommand): Promise<CommandOutcome & { readonly target?: { kind: string; value: string } }> {
    const { accountId } = command.data;
    if (command.metadata.caseId !== undefined && command.metadata.caseId !== accountId) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A contact's case id is its account id (${accountId}), not ${command.metadata.caseId}`, { field: 'metadata.caseId' });
    }
    const profile = await this.profile(accountId);
    const sealed = await this.seal({ ...command, metadata: { ...command.metadata, caseId: accountId } }, profile);
    const outcome = await handleCommand({ store: this.store, streamId: contactStream(profile.debtorId), initialState, evolve, decide: this.decide, events: CONTACT_EVENT_CATALOG }, sealed);
    if (command.type === 'RequestContact' && !outcome.repeated) countComplianceDecisions(outcome.events.map((event) => CONTACT_EVENT_CATALOG.decode(event)));
    return command.type === 'ReleaseDialTarget' ? { ...outcome, target: await this.releasedTarget(profile, command.data.contactId) } : outcome;
  }

  /** The allowed contact's target, decrypted: what the reply to the dialer (and nothing stored) carries. */
  private async releasedTarget(profile: DebtorProfile, contactId: string): Promise<{ kind: string; value: string }> {
    const history = await this.store.readStream(contactStream(profile.debtorId));
    const decided = history.map((event) => CONTACT_EVENT_CATALOG.decode(event)).find((event) => event.type === 'ContactAllowed' && event.data.contactId === contactId);
    if (decided?.type !== 'ContactAllowed') throw new ArrearsError(ErrorCode.NOT_FOUND, `No allowed contact ${contactId}`, { field: 'data.contactId' });
    const { kind, value } = decided.data.target;
    return { kind, value: await this.vault.decrypt(profile.debtorId, TARGET_FIELDS[kind], value) };
  }

  /** The debtor of an account as its events say now; NOT_FOUND for an account never placed. */
  async profile(accountId: string): Promise<DebtorProfile> {
    const history = await this.store.readStream(`account-${accountId}`);
    const profile = debtorProfile(history.map((event) => ACCOUNT_EVENT_CATALOG.decode(event) as accounts.AccountEvent));
    if (profile === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `Account ${accountId} has not been placed`, { field: 'data.accountId' });
    return profile;
  }

  private async seal(command: PlainContactCommand, profile: DebtorProfile): Promise<ContactCommandEnvelope> {
    if (profile.erased) throw new ArrearsError(ErrorCode.STATE_CONFLICT, "The debtor's personal data was erased: they are not contacted any more", { field: 'data.accountId' });
    try {
      switch (command.type) {
        case 'RequestContact': {
          const { target } = command.data;
          // Keyed and kept as the number on file, however the caller spelt it: one number, one count.
          const value = 'onFile' in target ? await this.atPlaceOnFile(profile, target.kind, target.onFile) : await this.onFile(profile, target.kind, target.value);
          const sealedTarget: contactAttempts.SealedTarget = {
            kind: target.kind,
            value: await this.vault.encrypt(profile.debtorId, TARGET_FIELDS[target.kind], value),
            key: targetKey(this.targetSecret, target.kind, value),
          };
          return { ...command, data: { ...command.data, target: sealedTarget, profile } };
        }
        case 'RecordAttemptOutcome': {
          // Checked in plaintext here, then encrypted: the decision only ever sees the hits and the ciphertexts.
          const { notes, transcript, ...rest } = command.data;
          const seal = (text: string | undefined) => (text === undefined ? undefined : this.vault.encrypt(profile.debtorId, 'freeText', text));
          const [sealedNotes, sealedTranscript] = await Promise.all([seal(notes), seal(transcript)]);
          return {
            ...command,
            data: {
              ...rest,
              ...(sealedNotes === undefined ? {} : { notes: sealedNotes }),
              ...(sealedTranscript === undefined ? {} : { transcript: sealedTranscript }),
              notesHits: notes === undefined ? [] : this.rules.languageHits(notes),
              transcriptHits: transcript === undefined ? [] : this.rules.languageHits(transcript),
              profile,
            },
          };
        }
        case 'RecordComplaint':
          return { ...command, data: { ...command.data, description: await this.vault.encrypt(profile.debtorId, 'freeText', command.data.description), profile } };
        case 'SetContactPreference':
        case 'ResolveComplaint':
        case 'ReleaseDialTarget':
          return { ...command, data: { ...command.data, profile } } as ContactCommandEnvelope;
        default:
          return command satisfies never;
      }
    } catch (error) {
      if (error instanceof SubjectErasedError) throw new ArrearsError(ErrorCode.STATE_CONFLICT, "The debtor's personal data was erased", { field: 'data.accountId' });
      throw error;
    }
  }

  /**
   * The target at its place on the debtor's file, decrypted: the n-th phone or email listed, the postal address, the
   * attorney's contact. A place with nothing there names the field and what is on file.
   */
  private async atPlaceOnFile(profile: DebtorProfile, kind: contactAttempts.SealedTarget['kind'], place: number): Promise<string> {
    const listed: readonly Encrypted[] =
      kind === 'phone'
        ? profile.phones
        : kind === 'email'
          ? profile.emails
          : kind === 'address'
            ? (profile.postalAddress === undefined ? [] : [profile.postalAddress])
            : profile.flags['attorney-represented'] === undefined || profile.attorneyContact === undefined
              ? []
              : [profile.attorneyContact];
    const sealed = listed[place];
    if (sealed === undefined) {
      const onFile = kind === 'attorney' ? (listed.length === 0 ? 'the debtor is not represented by an attorney on file' : 'one attorney is on file') : `${listed.length} ${kind}${listed.length === 1 ? ' is' : kind === 'address' ? 'es are' : 's are'} on file`;
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `No ${kind} at place ${place} on the file of account ${profile.accountId}: ${onFile}${listed.length > 0 ? ` (places 0–${listed.length - 1})` : ''}`, {
        field: 'data.target.onFile',
      });
    }
    return this.vault.decrypt(profile.debtorId, TARGET_FIELDS[kind], sealed);
  }

  /**
   * Only the debtor's own numbers and addresses on file (and their attorney, when represented) may be contacted:
   * returns the target as it is on file.
   */
  private async onFile(profile: DebtorProfile, kind: contactAttempts.SealedTarget['kind'], value: string): Promise<string> {
    const match = async (values: readonly Encrypted[], field: PersonalField) => {
      for (const sealed of values) {
        const plain = await this.vault.decrypt(profile.debtorId, field, sealed);
        if (sameTarget(kind, plain, value)) return plain;
      }
      return undefined;
    };
    const found =
      kind === 'phone'
        ? await match(profile.phones, 'phone')
        : kind === 'email'
          ? await match(profile.emails, 'email')
          : kind === 'attorney'
            ? profile.flags['attorney-represented'] === undefined
              ? undefined
              : value
            : value; // letters and visits go to the address the creditor holds; the account keeps it whole, encrypted
    if (found === undefined) {
      throw new ArrearsError(
        ErrorCode.VALIDATION_FAILED,
        kind === 'attorney' ? 'The debtor is not represented by an attorney on file' : `That ${kind} is not on file for the debtor of account ${profile.accountId}`,
        { field: 'data.target.value' },
      );
    }
    return found;
  }
}
