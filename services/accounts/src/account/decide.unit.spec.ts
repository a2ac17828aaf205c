import { randomUUID } from 'node:crypto';
import { accounts, CommandCatalog, ErrorCode, EventCatalog, type Encrypted, type Role } from '@arrears/contracts';
import { deciderSpec } from '@arrears/testing';
import { evolve, initialState, type AccountEvent, type AccountEventOf } from './domain/account';
import type { AccountCommandEnvelope, SealedAccountCommand } from './domain/commands';
import { accountDecider } from './domain/decide';
import { DEFAULT_ACCOUNTS_POLICY } from './domain/policy';

const decide = accountDecider(DEFAULT_ACCOUNTS_POLICY);
const eventCatalog = new EventCatalog(accounts.ACCOUNT_EVENTS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
const NOW = '2026-11-29T10:00:00.000Z';

/** A stand-in ciphertext: decide never opens personal fields, it only carries them. */
function sealed(label: string): Encrypted {
  return `pii:v1:${'A'.repeat(16)}:${Buffer.from(label).toString('base64url')}:${'B'.repeat(22)}` as Encrypted;
}

const debtor: accounts.SealedDebtor = {
  debtorId,
  name: sealed('name'),
  phones: [{ number: sealed('phone'), kind: 'mobile' }],
  emails: [sealed('email')],
  timeZone: 'America/Chicago',
  jurisdiction: 'US-IL',
  language: 'en',
};

function command(body: SealedAccountCommand, options: { now?: string; role?: Role } = {}): AccountCommandEnvelope {
  return {
    ...body,
    commandId: randomUUID(),
    schemaVersion: 1,
    metadata: { correlationId: randomUUID(), caseId: accountId, actorId: 'user-1', actorRole: options.role ?? 'collector', now: options.now ?? NOW },
  } as AccountCommandEnvelope;
}

const placement: SealedAccountCommand = {
  type: 'PlaceAccount',
  data: {
    accountId,
    creditor: { creditorId: 'acme-bank', name: 'Acme Bank' },
    creditorReference: 'CC-0042',
    product: 'credit-card',
    currency: 'USD',
    principal: 100_000,
    fees: 2_500,
    interest: 7_500,
    daysPastDue: 45,
    debtor,
  },
};

/** Given these events, when this command: the events it decides, each checked against its published schema. */
const given = deciderSpec({ initialState, evolve, decide, command, check: (event: AccountEvent) => eventCatalog.encode(event) });

const placed = (): AccountEvent[] => decide(command(placement), initialState());
const event = <T extends AccountEvent['type']>(events: readonly AccountEvent[], type: T) => events.find((e): e is AccountEventOf<T> => e.type === type);

describe('PlaceAccount', () => {
  it('places the account with its due date from the days past due, the default allocation order, and its first bucket and tier', () => {
    given()
      .when(placement)
      .then([
        {
          type: 'AccountPlaced',
          data: {
            accountId,
            creditor: { creditorId: 'acme-bank', name: 'Acme Bank' },
            creditorReference: 'CC-0042',
            product: 'credit-card',
            currency: 'USD',
            balance: { principal: 100_000, fees: 2_500, interest: 7_500 },
            dueDate: '2026-10-15',
            allocationOrder: ['fees', 'interest', 'principal'],
            debtor,
          },
        },
        { type: 'AgingBucketChanged', data: { accountId, from: null, to: '31-90', daysPastDue: 45, asOf: '2026-11-29' } },
        // balance 110,000 → 5; 31–90 → 25; credit card → 10: 40, medium
        { type: 'RiskTierChanged', data: { accountId, from: null, to: 'medium', score: 40, factors: { balance: 5, daysPastDue: 25, product: 10, brokenPromises: 0, recentPayment: 0 }, asOf: '2026-11-29' } },
      ]);
  });

  it('takes a given due date and allocation order', () => {
    const events = given().when({ ...placement, data: { ...placement.data, daysPastDue: undefined, dueDate: '2026-11-20', allocationOrder: ['principal', 'interest', 'fees'] } }).events();
    expect(event(events, 'AccountPlaced')?.data).toMatchObject({ dueDate: '2026-11-20', allocationOrder: ['principal', 'interest', 'fees'] });
    expect(event(events, 'AgingBucketChanged')?.data).toMatchObject({ to: '1-30', daysPastDue: 9 });
  });

  it('places a debtor whose time zone is not known', () => {
    const { timeZone: _unknown, ...withoutZone } = debtor;
    const events = given().when({ ...placement, data: { ...placement.data, debtor: withoutZone } }).events();
    expect(event(events, 'AccountPlaced')?.data.debtor).toEqual(withoutZone);
  });

  it('refuses a second placement of the same account', () => {
    given(...placed()).when(placement).thenRefuses(ErrorCode.STATE_CONFLICT, 'accountId');
  });

  it('refuses a due date in the future', () => {
    given().when({ ...placement, data: { ...placement.data, daysPastDue: undefined, dueDate: '2026-12-31' } }).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.dueDate');
  });
});

describe('PostPayment', () => {
  const payment = (reference: string, minor: number, currency = 'USD'): SealedAccountCommand => ({
    type: 'PostPayment',
    data: { accountId, paymentReference: reference, amount: { minor, currency }, receivedOn: '2026-11-28', channel: 'card' },
  });

  it('allocates fees, then interest, then principal', () => {
    const events = given(...placed()).when(payment('PAY-1', 12_000)).events();
    expect(event(events, 'PaymentPosted')?.data).toMatchObject({
      allocation: { fees: 2_500, interest: 7_500, principal: 2_000, credit: 0 },
      balanceAfter: { fees: 0, interest: 0, principal: 98_000 },
      creditAfter: 0,
    });
  });

  it('follows the configured order', () => {
    const decideOther = accountDecider({ ...DEFAULT_ACCOUNTS_POLICY, allocationOrder: ['principal', 'fees', 'interest'] });
    const history = decideOther(command(placement), initialState());
    const state = history.reduce(evolve, initialState());
    const events = decideOther(command(payment('PAY-1', 100_500)), state);
    expect(event(events, 'PaymentPosted')?.data.allocation).toEqual({ principal: 100_000, fees: 500, interest: 0, credit: 0 });
  });

  it('records an overpayment as credit and lowers the risk for the recent payment', () => {
    const events = given(...placed()).when(payment('PAY-1', 115_000)).events();
    expect(event(events, 'PaymentPosted')?.data).toMatchObject({ balanceAfter: { fees: 0, interest: 0, principal: 0 }, creditAfter: 5_000, allocation: { credit: 5_000 } });
    // 31–90 → 25; credit card → 10; paid yesterday → −15: 20, low
    expect(event(events, 'RiskTierChanged')?.data).toMatchObject({ from: 'medium', to: 'low', score: 20 });
  });

  it('is idempotent by the payment reference: the same payment again changes nothing', () => {
    const history = [...placed(), ...given(...placed()).when(payment('PAY-1', 1_000)).events()];
    given(...history).when(payment('PAY-1', 1_000)).then([]);
  });

  it('refuses a reused payment reference with another amount', () => {
    const history = [...placed(), ...given(...placed()).when(payment('PAY-1', 1_000)).events()];
    given(...history).when(payment('PAY-1', 2_000)).thenRefuses(ErrorCode.IDEMPOTENCY_CONFLICT, 'data.paymentReference');
  });

  it('refuses a payment in another currency', () => {
    given(...placed()).when(payment('PAY-1', 1_000, 'EUR')).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.amount.currency');
  });

  it('refuses zero or negative amounts', () => {
    given(...placed()).when(payment('PAY-1', 0)).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.amount.minor');
    given(...placed()).when(payment('PAY-2', -500)).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.amount.minor');
  });

  it('refuses a payment on a closed account', () => {
    const closed = given(...placed()).when({ type: 'CloseAccount', data: { accountId, reason: 'written-off' } }).events();
    given(...placed(), ...closed).when(payment('PAY-1', 1_000)).thenRefuses(ErrorCode.STATE_CONFLICT, 'accountId');
  });

  it('refuses a payment to an account never placed', () => {
    given().when(payment('PAY-1', 1_000)).thenRefuses(ErrorCode.NOT_FOUND, 'accountId');
  });
});

describe('AdjustBalance', () => {
  const waiver = (kind: 'fee-waiver' | 'interest-waiver', minor: number): SealedAccountCommand => ({
    type: 'AdjustBalance',
    data: { accountId, kind, amount: { minor, currency: 'USD' }, reason: 'hardship', approvedBy: 'supervisor-3' },
  });

  it('waives fees within the role limit', () => {
    given(...placed())
      .when(waiver('fee-waiver', 2_500))
      .then([
        {
          type: 'BalanceAdjusted',
          data: { accountId, kind: 'fee-waiver', amount: { minor: 2_500, currency: 'USD' }, reason: 'hardship', approvedBy: 'supervisor-3', balanceAfter: { principal: 100_000, fees: 0, interest: 7_500 }, interestFrozen: false },
        },
      ]);
  });

  it("refuses a waiver beyond the role's limit, and lets a higher role make it", () => {
    given(...placed()).when(waiver('interest-waiver', 7_500), { role: 'collector' }).thenRefuses(ErrorCode.FORBIDDEN, 'data.amount.minor');
    expect(given(...placed()).when(waiver('interest-waiver', 7_500), { role: 'supervisor' }).events()[0]?.type).toBe('BalanceAdjusted');
  });

  it('refuses a waiver to a role that may not waive, and a waiver of more than is owed', () => {
    given(...placed()).when(waiver('fee-waiver', 100), { role: 'auditor' }).thenRefuses(ErrorCode.FORBIDDEN, 'data.amount.minor');
    given(...placed()).when(waiver('fee-waiver', 2_501), { role: 'supervisor' }).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.amount.minor');
  });

  it('freezes interest for a supervisor only, once', () => {
    const freeze: SealedAccountCommand = { type: 'AdjustBalance', data: { accountId, kind: 'interest-freeze', reason: 'plan agreed', approvedBy: 'supervisor-3' } };
    given(...placed()).when(freeze, { role: 'collector' }).thenRefuses(ErrorCode.FORBIDDEN, 'data.kind');
    const frozen = given(...placed()).when(freeze, { role: 'supervisor' }).events();
    expect(frozen).toEqual([expect.objectContaining({ type: 'BalanceAdjusted', data: expect.objectContaining({ interestFrozen: true, amount: { minor: 0, currency: 'USD' } }) })]);
    given(...placed(), ...frozen).when(freeze, { role: 'supervisor' }).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.kind');
  });
});

describe('flags', () => {
  const flagCommand = (flag: accounts.Flag, extra: Partial<{ endsOn: string; attorneyContact: Encrypted }> = {}): SealedAccountCommand => ({
    type: 'FlagAccount',
    data: { accountId, flag, reason: 'debtor called', ...extra },
  });

  it('sets a flag with its details, and clears it', () => {
    const flagged = given(...placed()).when(flagCommand('attorney-represented', { attorneyContact: sealed('attorney') })).events();
    expect(flagged).toEqual([{ type: 'AccountFlagged', data: { accountId, flag: 'attorney-represented', reason: 'debtor called', attorneyContact: sealed('attorney') } }]);
    given(...placed(), ...flagged)
      .when({ type: 'ClearFlag', data: { accountId, flag: 'attorney-represented', reason: 'attorney withdrew' } })
      .then([{ type: 'FlagCleared', data: { accountId, flag: 'attorney-represented', reason: 'attorney withdrew' } }]);
  });

  it('refuses a flag already set, and clearing one that is not', () => {
    const flagged = given(...placed()).when(flagCommand('dispute')).events();
    given(...placed(), ...flagged).when(flagCommand('dispute')).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.flag');
    given(...placed()).when({ type: 'ClearFlag', data: { accountId, flag: 'bankruptcy', reason: 'x' } }).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.flag');
  });

  it('refuses a breathing space that has already ended', () => {
    given(...placed()).when(flagCommand('breathing-space', { endsOn: '2026-11-01' })).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.endsOn');
    expect(given(...placed()).when(flagCommand('breathing-space', { endsOn: '2027-01-28' })).events()[0]?.data).toMatchObject({ endsOn: '2027-01-28' });
  });
});

describe('contact details, closing and erasure', () => {
  const update: SealedAccountCommand = { type: 'UpdateContactDetails', data: { accountId, phones: [{ number: sealed('new phone'), kind: 'home' }], emails: [], timeZone: 'America/New_York' } };

  it('replaces the contact details, keeping the language when none is given', () => {
    given(...placed())
      .when(update)
      .then([{ type: 'ContactDetailsUpdated', data: { accountId, debtorId, phones: [{ number: sealed('new phone'), kind: 'home' }], emails: [], timeZone: 'America/New_York', language: 'en' } }]);
  });

  it('closes as paid in full only when nothing is owed', () => {
    given(...placed()).when({ type: 'CloseAccount', data: { accountId, reason: 'paid-in-full' } }).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.reason');
    const paid = given(...placed()).when({ type: 'PostPayment', data: { accountId, paymentReference: 'P', amount: { minor: 110_000, currency: 'USD' }, receivedOn: '2026-11-29', channel: 'bank' } }).events();
    given(...placed(), ...paid)
      .when({ type: 'CloseAccount', data: { accountId, reason: 'paid-in-full' } })
      .then([{ type: 'AccountClosed', data: { accountId, reason: 'paid-in-full', balanceAtClose: { principal: 0, fees: 0, interest: 0 }, creditAtClose: 0 } }]);
  });

  it('refuses closing twice', () => {
    const closed = given(...placed()).when({ type: 'CloseAccount', data: { accountId, reason: 'sold' } }).events();
    given(...placed(), ...closed).when({ type: 'CloseAccount', data: { accountId, reason: 'sold' } }).thenRefuses(ErrorCode.STATE_CONFLICT, 'accountId');
  });

  it('a completed plan closes the account as the plan says; a whole-balance plan that left something owed closes as settled', () => {
    const planId = '44444444-4444-4444-8444-444444444444';
    const completed = (outcome: 'paid-in-full' | 'settled'): SealedAccountCommand => ({ type: 'CloseOnCompletedPlan', data: { accountId, planId, outcome } });
    const paid = given(...placed()).when({ type: 'PostPayment', data: { accountId, paymentReference: 'P', amount: { minor: 110_000, currency: 'USD' }, receivedOn: '2026-11-29', channel: 'bank' } }).events();
    given(...placed(), ...paid)
      .when(completed('paid-in-full'))
      .then([{ type: 'AccountClosed', data: { accountId, reason: 'paid-in-full', note: `Plan ${planId} completed`, balanceAtClose: { principal: 0, fees: 0, interest: 0 }, creditAtClose: 0 } }]);
    const settledAt = given(...placed()).when(completed('settled')).events();
    expect(settledAt).toEqual([{ type: 'AccountClosed', data: expect.objectContaining({ reason: 'settled', note: `Plan ${planId} completed` }) }]);
    expect(given(...placed()).when(completed('paid-in-full')).events()).toEqual([
      { type: 'AccountClosed', data: expect.objectContaining({ reason: 'settled', note: `Plan ${planId} completed; 110000 USD left on the balance was not part of it` }) },
    ]);
    // Already closed — by hand, or by this same plan delivered again: nothing.
    given(...placed(), ...settledAt).when(completed('settled')).then([]);
  });

  it('erases only a closed account, once, and takes no new personal data afterwards', () => {
    const erasure: SealedAccountCommand = { type: 'EraseDebtorData', data: { accountId, reason: 'data subject request' } };
    given(...placed()).when(erasure).thenRefuses(ErrorCode.STATE_CONFLICT, 'accountId');
    const closed = given(...placed()).when({ type: 'CloseAccount', data: { accountId, reason: 'returned-to-creditor' } }).events();
    const erased = given(...placed(), ...closed).when(erasure).events();
    expect(erased).toEqual([{ type: 'DebtorDataErased', data: { accountId, debtorId, reason: 'data subject request' } }]);
    given(...placed(), ...closed, ...erased).when(erasure).then([]);
    given(...placed(), ...closed, ...erased).when(update).thenRefuses(ErrorCode.STATE_CONFLICT, 'accountId');
  });
});

describe('ReviewAccount and broken promises', () => {
  it('publishes a bucket change only when the days past due cross a boundary, and a tier change only when the tier moves', () => {
    given(...placed()).when({ type: 'ReviewAccount', data: { accountId } }, { now: '2026-12-10T10:00:00.000Z' }).then([]);
    // 91 days: 90+ → 40 points; balance 5; credit card 10: 55, still medium
    given(...placed())
      .when({ type: 'ReviewAccount', data: { accountId } }, { now: '2027-01-14T10:00:00.000Z' })
      .then([{ type: 'AgingBucketChanged', data: { accountId, from: '31-90', to: '90+', daysPastDue: 91, asOf: '2027-01-14' } }]);
  });

  it('counts each broken promise once; the third moves the tier to high', () => {
    const note = (n: number): SealedAccountCommand => ({ type: 'NoteBrokenPromise', data: { accountId, promiseId: `${n}${n}${n}${n}${n}${n}${n}${n}-1111-4111-8111-111111111111`, dueDate: '2026-11-20' } });
    const first = given(...placed()).when(note(1)).events();
    expect(first).toEqual([{ type: 'BrokenPromiseNoted', data: { accountId, promiseId: '11111111-1111-4111-8111-111111111111', dueDate: '2026-11-20' } }]);
    given(...placed(), ...first).when(note(1)).then([]);
    const second = given(...placed(), ...first).when(note(2)).events();
    const third = given(...placed(), ...first, ...second).when(note(3)).events();
    // 40 + 3 × 10 = 70: high
    expect(event(third, 'RiskTierChanged')?.data).toEqual({
      accountId,
      from: 'medium',
      to: 'high',
      score: 70,
      factors: { balance: 5, daysPastDue: 25, product: 10, brokenPromises: 30, recentPayment: 0 },
      asOf: '2026-11-29',
    });
  });

  it('clears a breathing space the day after its last day', () => {
    const flagged = given(...placed()).when({ type: 'FlagAccount', data: { accountId, flag: 'breathing-space', reason: 'debt advice', endsOn: '2026-12-10' } }).events();
    given(...placed(), ...flagged).when({ type: 'ReviewAccount', data: { accountId } }, { now: '2026-12-10T23:00:00.000Z' }).then([]);
    given(...placed(), ...flagged)
      .when({ type: 'ReviewAccount', data: { accountId } }, { now: '2026-12-11T01:00:00.000Z' })
      .then([{ type: 'FlagCleared', data: { accountId, flag: 'breathing-space', reason: 'breathing space ended on 2026-12-10' } }]);
  });

  it('does nothing for a closed account', () => {
    const closed = given(...placed()).when({ type: 'CloseAccount', data: { accountId, reason: 'settled' } }).events();
    given(...placed(), ...closed).when({ type: 'ReviewAccount', data: { accountId } }, { now: '2027-06-01T00:00:00.000Z' }).then([]);
  });
});

describe('the published command schemas', () => {
  const commands = new CommandCatalog(accounts.ACCOUNT_COMMANDS);
  const envelope = (type: string, data: unknown) => ({ commandId: randomUUID(), type, schemaVersion: 1, data, metadata: { correlationId: randomUUID(), actorId: 'u', actorRole: 'collector', now: NOW } });

  it('refuse zero and negative payment amounts, naming the field', () => {
    for (const minor of [0, -1]) {
      expect(() => commands.parse(envelope('PostPayment', { accountId, paymentReference: 'P', amount: { minor, currency: 'USD' }, receivedOn: '2026-11-29' }))).toThrow(
        expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'data.amount.minor' }),
      );
    }
  });

  it('refuse a placement with both or neither of dueDate and daysPastDue, and an unknown time zone', () => {
    const plain = { ...placement.data, debtor: { debtorId, name: 'Jane Roe', phones: [{ number: '+1 312 555 0142', kind: 'mobile' }], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' } };
    expect(commands.parse(envelope('PlaceAccount', plain)).type).toBe('PlaceAccount');
    expect(() => commands.parse(envelope('PlaceAccount', { ...plain, dueDate: '2026-10-01' }))).toThrow(expect.objectContaining({ field: 'data.dueDate' }));
    expect(() => commands.parse(envelope('PlaceAccount', { ...plain, debtor: { ...plain.debtor, timeZone: 'Mars/Olympus' } }))).toThrow(expect.objectContaining({ field: 'data.debtor.timeZone' }));
  });
});
