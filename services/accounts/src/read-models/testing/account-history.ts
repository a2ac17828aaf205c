/** Account histories for the read-model tests: stored envelopes built by hand, data validated by the contract. */
import { randomBytes, randomUUID } from 'node:crypto';
import { accounts, ERASED, EventCatalog, type Encrypted, type EventEnvelope, type PersonalField, type Role } from '@arrears/contracts';
import { History } from '@arrears/read-models/src/testing/history';
import { storedEvent } from '@arrears/testing';
import type { PersonalDataReader } from '../personal-data';

type AccountEvent = accounts.AccountEvent;
type DataOf<T extends AccountEvent['type']> = Omit<Extract<AccountEvent, { type: T }>['data'], 'accountId'>;

const catalog = new EventCatalog(accounts.ACCOUNT_EVENTS);

/**
 * Stands in for the personal-data vault: "encrypts" into a lookup table of random tokens shaped like real
 * ciphertexts (nothing of the plaintext is in them), and after `erase` reads every field of that subject as
 * ERASED, as a deleted key would. Like the real vault it refuses a value presented for another subject or field.
 */
export class FakeVault implements PersonalDataReader {
  private readonly sealed = new Map<string, { subjectId: string; field: PersonalField; plaintext: string }>();
  private readonly erased = new Set<string>();
  reveals = 0;

  seal(subjectId: string, field: PersonalField, plaintext: string): Encrypted {
    const token = `pii:v1:${randomBytes(12).toString('base64url')}:${randomBytes(24).toString('base64url')}:${randomBytes(16).toString('base64url')}`;
    this.sealed.set(token, { subjectId, field, plaintext });
    return token as Encrypted;
  }

  erase(subjectId: string): void {
    this.erased.add(subjectId);
  }

  async reveal(subjectId: string, field: PersonalField, value: Encrypted): Promise<string> {
    this.reveals += 1;
    const entry = this.sealed.get(value);
    if (entry === undefined || entry.subjectId !== subjectId || entry.field !== field) throw new Error(`cannot decrypt this ${field} for ${subjectId}`);
    return this.erased.has(subjectId) ? ERASED : entry.plaintext;
  }
}

/**
 * One account's stream: each append is the next stored event, with positions, ids and metadata as the store gives
 * them, stored on `history`.
 */
export class AccountStream {
  readonly events: EventEnvelope[] = [];

  constructor(
    readonly accountId: string = randomUUID(),
    private readonly history: History = new History(),
  ) {}

  append<T extends AccountEvent['type']>(type: T, data: DataOf<T>, occurredAt: string, actor: { id: string; role: Role } = { id: 'collector-7', role: 'collector' }): EventEnvelope {
    // The contract's schema checks the data at run time; TypeScript cannot follow T through the spread.
    const encoded = catalog.encode({ type, data: { accountId: this.accountId, ...data } } as unknown as AccountEvent);
    const event = this.history.store(storedEvent(encoded, this.accountId, { occurredAt, actorId: actor.id, actorRole: actor.role }), `account-${this.accountId}`, this.events.length);
    this.events.push(event);
    return event;
  }
}

const reviewer = { id: 'system:accounts', role: 'system' } as const;

/** The debtor of the realistic history, in plaintext: what must never reach a read model. */
export const DEBTOR = {
  name: 'Marisol Okonkwo-Reyes',
  phone: '+1 (312) 555-0147',
  homePhone: '+1 312 555 0163',
  newPhone: '+1 312 555 0199',
  email: 'marisol.okonkwo@example.com',
  newEmail: 'm.okonkwo.reyes@example.org',
  nationalId: '123-45-6789',
  address: { lines: ['1200 W Maple St', 'Apt 4B'], city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' },
} as const;

/**
 * A credit-card account from placement to settlement: reviews into 31-90 / medium, a fee waiver, a payment, a
 * dispute opened and cleared, an interest freeze, breathing space, a broken promise, a roll into 90+ / high, new
 * contact details, a second payment, breathing space ending, another broken promise, and the close. The
 * debtor's erasure is left to the caller (`eraseDebtor`), to be fed when a test wants it.
 */
export function realisticHistory(vault: FakeVault): { stream: AccountStream; debtorId: string; eraseDebtor: () => EventEnvelope } {
  const stream = new AccountStream();
  const debtorId = randomUUID();
  const seal = (field: PersonalField, plaintext: string) => vault.seal(debtorId, field, plaintext);

  stream.append(
    'AccountPlaced',
    {
      creditor: { creditorId: 'northwind-bank', name: 'Northwind Bank' },
      creditorReference: 'NWB-CC-88231',
      product: 'credit-card',
      currency: 'USD',
      balance: { principal: 250_000, fees: 3_500, interest: 12_750 },
      dueDate: '2026-01-15',
      allocationOrder: ['fees', 'interest', 'principal'],
      debtor: {
        debtorId,
        name: seal('name', DEBTOR.name),
        nationalId: seal('nationalId', DEBTOR.nationalId),
        phones: [
          { number: seal('phone', DEBTOR.phone), kind: 'mobile' },
          { number: seal('phone', DEBTOR.homePhone), kind: 'home' },
        ],
        emails: [seal('email', DEBTOR.email)],
        postalAddress: seal('postalAddress', JSON.stringify(DEBTOR.address)),
        timeZone: 'America/Chicago',
        jurisdiction: 'US-IL',
        language: 'en-US',
      },
    },
    '2026-02-20T15:04:05.000Z',
    { id: 'intake-12', role: 'supervisor' },
  );
  stream.append('AgingBucketChanged', { from: null, to: '31-90', daysPastDue: 36, asOf: '2026-02-20' }, '2026-02-20T15:04:05.000Z', reviewer);
  stream.append(
    'RiskTierChanged',
    { from: null, to: 'medium', score: 52, factors: { daysPastDue: 18, balance: 22, brokenPromises: 0, product: 12 }, asOf: '2026-02-20' },
    '2026-02-20T15:04:05.000Z',
    reviewer,
  );
  stream.append(
    'BalanceAdjusted',
    {
      kind: 'fee-waiver',
      amount: { minor: 1_500, currency: 'USD' },
      reason: 'Late fee waived as goodwill on first contact',
      approvedBy: 'supervisor-3',
      balanceAfter: { principal: 250_000, fees: 2_000, interest: 12_750 },
      interestFrozen: false,
    },
    '2026-03-02T16:20:00.000Z',
  );
  stream.append(
    'PaymentPosted',
    {
      paymentReference: 'ACH-2026-03-10-7731',
      amount: { minor: 20_000, currency: 'USD' },
      receivedOn: '2026-03-10',
      channel: 'ach',
      allocation: { fees: 2_000, interest: 12_750, principal: 5_250, credit: 0 },
      balanceAfter: { principal: 244_750, fees: 0, interest: 0 },
      creditAfter: 0,
    },
    '2026-03-10T09:12:44.000Z',
    reviewer,
  );
  stream.append('AccountFlagged', { flag: 'dispute', reason: 'Debtor disputes two card transactions from January' }, '2026-03-12T14:05:00.000Z');
  stream.append(
    'BalanceAdjusted',
    {
      kind: 'interest-freeze',
      amount: { minor: 0, currency: 'USD' },
      reason: 'Interest frozen while the dispute is investigated',
      approvedBy: 'supervisor-3',
      balanceAfter: { principal: 244_750, fees: 0, interest: 0 },
      interestFrozen: true,
    },
    '2026-03-12T14:06:30.000Z',
  );
  stream.append('AccountFlagged', { flag: 'breathing-space', reason: 'Standard breathing space registered by the debt adviser', endsOn: '2026-05-30' }, '2026-03-31T10:00:00.000Z');
  stream.append('FlagCleared', { flag: 'dispute', reason: 'Transactions verified with the merchant; dispute resolved' }, '2026-04-08T11:30:00.000Z');
  stream.append('BrokenPromiseNoted', { promiseId: randomUUID(), dueDate: '2026-04-15' }, '2026-04-18T06:00:00.000Z', reviewer);
  stream.append('AgingBucketChanged', { from: '31-90', to: '90+', daysPastDue: 95, asOf: '2026-04-20' }, '2026-04-20T05:00:00.000Z', reviewer);
  stream.append(
    'RiskTierChanged',
    { from: 'medium', to: 'high', score: 81, factors: { daysPastDue: 35, balance: 22, brokenPromises: 12, product: 12 }, asOf: '2026-04-20' },
    '2026-04-20T05:00:00.000Z',
    reviewer,
  );
  stream.append(
    'ContactDetailsUpdated',
    {
      debtorId,
      phones: [{ number: seal('phone', DEBTOR.newPhone), kind: 'mobile' }],
      emails: [seal('email', DEBTOR.newEmail)],
      postalAddress: seal('postalAddress', JSON.stringify(DEBTOR.address)),
      timeZone: 'America/Chicago',
      language: 'es-US',
    },
    '2026-04-27T17:45:00.000Z',
  );
  stream.append(
    'PaymentPosted',
    {
      paymentReference: 'CARD-2026-05-02-0093',
      amount: { minor: 44_750, currency: 'USD' },
      receivedOn: '2026-05-02',
      channel: 'card',
      allocation: { fees: 0, interest: 0, principal: 44_750, credit: 0 },
      balanceAfter: { principal: 200_000, fees: 0, interest: 0 },
      creditAfter: 0,
    },
    '2026-05-02T13:01:10.000Z',
    reviewer,
  );
  stream.append('FlagCleared', { flag: 'breathing-space', reason: 'Breathing space ended' }, '2026-05-31T05:00:00.000Z', reviewer);
  stream.append('BrokenPromiseNoted', { promiseId: randomUUID(), dueDate: '2026-06-12' }, '2026-06-15T06:00:00.000Z', reviewer);
  stream.append(
    'AccountClosed',
    {
      reason: 'settled',
      note: 'Settled for the two payments made; remainder written off by the creditor',
      balanceAtClose: { principal: 200_000, fees: 0, interest: 0 },
      creditAtClose: 0,
    },
    '2026-06-30T16:00:00.000Z',
    { id: 'supervisor-3', role: 'supervisor' },
  );

  const privacyOfficer = { id: 'privacy-officer-1', role: 'admin' } as const;
  const eraseDebtor = () => stream.append('DebtorDataErased', { debtorId, reason: 'Erasure request granted under the retention policy' }, '2026-09-01T08:00:00.000Z', privacyOfficer);
  return { stream, debtorId, eraseDebtor };
}

export interface PlacementOptions {
  readonly placedAt: string;
  readonly creditor?: { readonly creditorId: string; readonly name: string };
  readonly currency?: string;
  readonly balance: accounts.Balance;
  readonly bucket?: accounts.AgingBucket;
  readonly tier?: accounts.RiskTier;
  readonly flags?: readonly accounts.Flag[];
  readonly closed?: accounts.CloseReason;
  /** Default: a debtor of their own. Give one already placed for a second account of theirs. */
  readonly debtor?: { readonly debtorId: string; readonly name: string; readonly phone: string };
}

/** A placed account with its first review, some flags and perhaps its close: for the query tests. */
export function placedAccount(vault: FakeVault, options: PlacementOptions): AccountStream {
  const stream = new AccountStream();
  const { debtorId, name, phone } = options.debtor ?? { debtorId: randomUUID(), name: 'Test Debtor', phone: '+1 555 010 2030' };
  const seal = (field: PersonalField, plaintext: string) => vault.seal(debtorId, field, plaintext);
  const day = options.placedAt.slice(0, 10);
  stream.append(
    'AccountPlaced',
    {
      creditor: options.creditor ?? { creditorId: 'northwind-bank', name: 'Northwind Bank' },
      creditorReference: `REF-${randomBytes(3).toString('hex').toUpperCase()}`,
      product: 'consumer-loan',
      currency: options.currency ?? 'USD',
      balance: options.balance,
      dueDate: '2026-01-01',
      allocationOrder: ['fees', 'interest', 'principal'],
      debtor: {
        debtorId,
        name: seal('name', name),
        phones: [{ number: seal('phone', phone), kind: 'mobile' }],
        emails: [],
        timeZone: 'America/New_York',
        jurisdiction: 'US-NY',
        language: 'en',
      },
    },
    options.placedAt,
  );
  if (options.bucket !== undefined) stream.append('AgingBucketChanged', { from: null, to: options.bucket, daysPastDue: 40, asOf: day }, options.placedAt, reviewer);
  if (options.tier !== undefined) stream.append('RiskTierChanged', { from: null, to: options.tier, score: 50, factors: {}, asOf: day }, options.placedAt, reviewer);
  for (const flag of options.flags ?? []) {
    stream.append('AccountFlagged', { flag, reason: 'Recorded at intake', ...(flag === 'breathing-space' ? { endsOn: '2026-12-31' } : {}) }, options.placedAt);
  }
  if (options.closed !== undefined) {
    stream.append('AccountClosed', { reason: options.closed, balanceAtClose: options.balance, creditAtClose: 0 }, options.placedAt);
  }
  return stream;
}
