import { randomUUID } from 'node:crypto';
import { ErrorCode, EventCatalog, paymentPlans, type Role } from '@arrears/contracts';
import { deciderSpec } from '@arrears/testing';
import type { AccountStanding, PlanCommandBody, PlanCommandEnvelope } from './domain/commands';
import { planDecider } from './domain/decide';
import { evolve, initialState, type PlanEvent } from './domain/plans';
import { DEFAULT_PLAN_POLICY } from './domain/policy';

const catalog = new EventCatalog(paymentPlans.PLAN_EVENTS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const PLAN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const usd = (minor: number) => ({ minor, currency: 'USD' });
const NOW = '2026-11-30T15:00:00.000Z';

interface As {
  readonly now?: string;
  readonly role?: Role;
  readonly actor?: string;
}

const given = deciderSpec({
  initialState,
  evolve,
  decide: planDecider(DEFAULT_PLAN_POLICY),
  command: (body: PlanCommandBody, as?: As): PlanCommandEnvelope => ({
    ...body,
    commandId: randomUUID(),
    schemaVersion: 1,
    metadata: { correlationId: randomUUID(), caseId: accountId, actorId: as?.actor ?? 'collector-7', actorRole: as?.role ?? 'collector', now: as?.now ?? NOW },
  }),
  check: (event: PlanEvent) => catalog.encode(event),
});

/** 1,000.00 owed: 900.00 principal, 60.00 fees, 40.00 interest. */
const openAccount = (change: Partial<AccountStanding> = {}): AccountStanding => ({ status: 'open', currency: 'USD', balance: { principal: 90_000, fees: 6_000, interest: 4_000 }, flags: [], ...change });
type Options = NonNullable<Extract<PlanCommandBody, { type: 'ProposePlan' }>['data']['options']>;
const propose = (options?: Options, instalments = 4, account = openAccount(), planId = PLAN): PlanCommandBody => ({
  type: 'ProposePlan',
  data: { planId, accountId, instalments, frequency: 'monthly', firstDueDate: '2026-12-15', ...(options ? { options } : {}) },
  account,
});
const commitment = { documentId: 'doc-2026-11-30-0042', sha256: 'a'.repeat(64) };
const accept = (account = openAccount(), document = commitment): PlanCommandBody => ({ type: 'AcceptPlan', data: { planId: PLAN, accountId, commitment: document }, account });
const pay = (reference: string, minor: number, receivedOn = '2026-12-10', currency = 'USD'): PlanCommandBody => ({
  type: 'ApplyPayment',
  data: { accountId, paymentReference: reference, amount: { minor, currency }, receivedOn },
});
const check = (number: number): PlanCommandBody => ({ type: 'CheckInstalment', data: { accountId, planId: PLAN, number } });
const cancel = (reason = 'debtor declined'): PlanCommandBody => ({ type: 'CancelPlan', data: { planId: PLAN, accountId, reason } });

const proposed = (options?: Options, instalments = 4) => given().when(propose(options, instalments)).events();
/** A plan of four monthly instalments of 250.00 from 15 December, accepted on 30 November. */
const running = () => {
  const history = proposed();
  return [...history, ...given(...history).when(accept()).events()];
};

describe('ProposePlan', () => {
  it('proposes the whole balance over the instalments, remainder on the last, with the grace and default rule in force', () => {
    const [event] = given().when(propose(undefined, 3)).events();
    expect(event).toEqual({
      type: 'PlanProposed',
      data: {
        planId: PLAN,
        accountId,
        balance: usd(100_000),
        total: usd(100_000),
        outcome: 'paid-in-full',
        frequency: 'monthly',
        schedule: [
          { number: 1, dueDate: '2026-12-15', amount: usd(33_333) },
          { number: 2, dueDate: '2027-01-15', amount: usd(33_333) },
          { number: 3, dueDate: '2027-02-15', amount: usd(33_334) },
        ],
        options: { interestFreeze: false, termExtension: false },
        approvalsNeeded: [],
        graceDays: 5,
        missedToDefault: 2,
        proposedBy: 'collector-7',
      },
    });
  });

  it('a fee waiver takes the fees off and makes the plan a settlement; within the collector’s limit it needs no approval', () => {
    const [event] = proposed({ feeWaiver: true });
    expect(event?.data).toMatchObject({ total: usd(94_000), outcome: 'settled', options: { feeWaiver: { waived: usd(6_000) } }, approvalsNeeded: [] });
    given().when(propose({ feeWaiver: true }, 4, openAccount({ balance: { principal: 100_000, fees: 0, interest: 0 } }))).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.options.feeWaiver');
  });

  it('options beyond the proposer’s limits wait for approval, each with why', () => {
    // 25 % off is beyond a collector's 10 %; a freeze is for supervisors; 24 instalments beyond a collector's 18.
    const [event] = proposed({ settlement: { amount: usd(75_000) }, interestFreeze: true, termExtension: true }, 24);
    expect(event?.data).toMatchObject({
      total: usd(75_000),
      outcome: 'settled',
      options: { interestFreeze: true, termExtension: true, settlement: { discount: usd(25_000), discountBasisPoints: 2_500 } },
      approvalsNeeded: [
        { option: 'interest-freeze', reason: 'freezes interest' },
        { option: 'term-extension', reason: 'runs 24 instalments' },
        { option: 'settlement', reason: 'settles at a discount of 2500 basis points' },
      ],
    });
    const bySupervisor = given().when(propose({ settlement: { amount: usd(75_000) }, interestFreeze: true, termExtension: true }, 24), { role: 'supervisor', actor: 'supervisor-2' }).events();
    expect(bySupervisor[0]?.data).toMatchObject({ approvalsNeeded: [], proposedBy: 'supervisor-2' });
  });

  it('rounds a settlement discount up, so a limit is never exceeded by a fraction', () => {
    // 10.001 % off is beyond a collector's 10 %.
    const [event] = given().when(propose({ settlement: { amount: usd(89_999) } }, 4, openAccount({ balance: { principal: 100_000, fees: 0, interest: 0 } }))).events();
    expect(event?.data).toMatchObject({ options: { settlement: { discount: usd(10_001), discountBasisPoints: 1_001 } }, approvalsNeeded: [{ option: 'settlement' }] });
  });

  it('refuses a term beyond the standard one without an extension, beyond the policy’s maximum, or a discount no role may approve', () => {
    given().when(propose(undefined, 13)).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.options.termExtension');
    given().when(propose({ termExtension: true }, 61)).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.instalments');
    given().when(propose({ settlement: { amount: usd(30_000) } })).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.options.settlement');
  });

  it('refuses a settlement that is not less than what is owed, or in another currency', () => {
    given().when(propose({ settlement: { amount: usd(100_000) } })).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.options.settlement.amount.minor');
    given().when(propose({ settlement: { amount: { minor: 50_000, currency: 'EUR' } } })).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.options.settlement.amount.currency');
  });

  it('refuses a first due date that has passed or is too far ahead', () => {
    const on = (firstDueDate: string): PlanCommandBody => ({ ...propose(), data: { ...(propose() as Extract<PlanCommandBody, { type: 'ProposePlan' }>).data, firstDueDate } }) as PlanCommandBody;
    given().when(on('2026-11-29')).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.firstDueDate');
    given().when(on('2026-12-31')).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.firstDueDate');
    expect(given().when(on('2026-11-30')).events()[0]?.type).toBe('PlanProposed');
  });

  it('is made on a placed, open account that owes something and is not on hold', () => {
    given().when(propose(undefined, 4, openAccount({ status: 'unplaced' }))).thenRefuses(ErrorCode.NOT_FOUND, 'data.accountId');
    given().when(propose(undefined, 4, openAccount({ status: 'closed' }))).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
    for (const hold of ['dispute', 'bankruptcy', 'deceased', 'breathing-space'] as const) {
      given().when(propose(undefined, 4, openAccount({ flags: ['vulnerable', hold] }))).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
    }
    expect(given().when(propose(undefined, 4, openAccount({ flags: ['vulnerable', 'cease-communication'] }))).events()[0]?.type).toBe('PlanProposed');
    given().when(propose(undefined, 4, openAccount({ balance: { principal: 0, fees: 0, interest: 0 } }))).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
  });

  it('one plan at a time per case; a plan id is used once', () => {
    given(...proposed()).when(propose(undefined, 4, openAccount(), OTHER)).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
    given(...proposed()).when(propose()).thenRefuses(ErrorCode.IDEMPOTENCY_CONFLICT, 'data.planId');
    const cancelled = [...proposed(), ...given(...proposed()).when(cancel()).events()];
    given(...cancelled).when(propose()).thenRefuses(ErrorCode.IDEMPOTENCY_CONFLICT, 'data.planId');
    expect(given(...cancelled).when(propose(undefined, 4, openAccount(), OTHER)).events()[0]?.type).toBe('PlanProposed');
  });
});

describe('ApprovePlan', () => {
  const discounted = () => given().when(propose({ settlement: { amount: usd(50_000) } }), { role: 'supervisor', actor: 'supervisor-2' }).events();

  it('is given by a role whose limits cover every waiting option, not by the proposer', () => {
    // 50 % off: beyond a supervisor's 30 %, within an admin's 60 %.
    given(...discounted()).when({ type: 'ApprovePlan', data: { planId: PLAN, accountId } }, { role: 'supervisor', actor: 'supervisor-2' }).thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorId');
    given(...discounted()).when({ type: 'ApprovePlan', data: { planId: PLAN, accountId } }, { role: 'supervisor', actor: 'supervisor-5' }).thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
    given(...discounted())
      .when({ type: 'ApprovePlan', data: { planId: PLAN, accountId, note: 'hardship documented' } }, { role: 'admin', actor: 'head-of-collections' })
      .then([{ type: 'PlanApproved', data: { planId: PLAN, accountId, options: ['settlement'], approvedBy: 'head-of-collections', note: 'hardship documented' } }]);
  });

  it('approving again, or a plan that needs no approval, changes nothing; an unknown plan is not found', () => {
    const approved = given(...discounted()).when({ type: 'ApprovePlan', data: { planId: PLAN, accountId } }, { role: 'admin', actor: 'admin-1' }).events();
    given(...discounted(), ...approved).when({ type: 'ApprovePlan', data: { planId: PLAN, accountId } }, { role: 'admin', actor: 'admin-1' }).then([]);
    given(...proposed()).when({ type: 'ApprovePlan', data: { planId: PLAN, accountId } }, { role: 'supervisor' }).then([]);
    given().when({ type: 'ApprovePlan', data: { planId: PLAN, accountId } }, { role: 'supervisor' }).thenRefuses(ErrorCode.NOT_FOUND, 'data.planId');
  });
});

describe('AcceptPlan', () => {
  it('starts the plan with the written commitment; each instalment is missed at the day after due date plus grace', () => {
    const [event] = given(...proposed()).when(accept()).events();
    expect(event).toEqual({
      type: 'PlanAccepted',
      data: {
        planId: PLAN,
        accountId,
        commitment,
        acceptedOn: '2026-11-30',
        total: usd(100_000),
        outcome: 'paid-in-full',
        schedule: [
          { number: 1, dueDate: '2026-12-15', amount: usd(25_000), missesAt: '2026-12-21T00:00:00.000Z' },
          { number: 2, dueDate: '2027-01-15', amount: usd(25_000), missesAt: '2027-01-21T00:00:00.000Z' },
          { number: 3, dueDate: '2027-02-15', amount: usd(25_000), missesAt: '2027-02-21T00:00:00.000Z' },
          { number: 4, dueDate: '2027-03-15', amount: usd(25_000), missesAt: '2027-03-21T00:00:00.000Z' },
        ],
        acceptedVia: 'collector-7',
      },
    });
  });

  it('the same commitment again changes nothing; another one is a conflict', () => {
    given(...running()).when(accept()).then([]);
    given(...running()).when(accept(openAccount(), { documentId: 'doc-other', sha256: 'b'.repeat(64) })).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.commitment');
  });

  it('waits for approval, for the balance it was proposed on, and for a first due date still ahead', () => {
    const waiting = proposed({ settlement: { amount: usd(75_000) } });
    given(...waiting).when(accept()).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.planId');
    // A payment posted since the proposal changed the balance: the plan would collect too much.
    given(...proposed()).when(accept(openAccount({ balance: { principal: 80_000, fees: 6_000, interest: 4_000 } }))).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.planId');
    given(...proposed()).when(accept(), { now: '2026-12-16T09:00:00.000Z' }).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.planId');
    given(...proposed()).when(accept(openAccount({ flags: ['dispute'] }))).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
  });
});

describe('payments against the plan', () => {
  it('a payment before acceptance goes to no instalment — neither while proposed nor, received earlier, delivered after', () => {
    given(...proposed()).when(pay('EARLY-1', 25_000, '2026-11-30')).then([]);
    given(...running()).when(pay('EARLY-2', 25_000, '2026-11-29')).then([]);
  });

  it('a partial payment leaves the instalment open; the rest pays it, on time', () => {
    const partial = given(...running()).when(pay('BANK-1', 10_000)).events();
    expect(partial).toEqual([
      {
        type: 'InstalmentPartiallyPaid',
        data: { planId: PLAN, accountId, number: 1, dueDate: '2026-12-15', paymentReference: 'BANK-1', receivedOn: '2026-12-10', applied: usd(10_000), paidTotal: usd(10_000), amount: usd(25_000), late: false },
      },
    ]);
    expect(given(...running(), ...partial).when(pay('BANK-2', 15_000, '2026-12-17')).events()).toEqual([
      {
        type: 'InstalmentPaid',
        data: { planId: PLAN, accountId, number: 1, dueDate: '2026-12-15', paymentReference: 'BANK-2', receivedOn: '2026-12-17', applied: usd(15_000), paidTotal: usd(25_000), amount: usd(25_000), late: true, wasMissed: false },
      },
    ]);
  });

  it('an overpayment pays ahead, instalment by instalment; what exceeds the plan completes it and stays with the account', () => {
    const ahead = given(...running()).when(pay('BANK-1', 60_000)).events();
    expect(ahead.map((event) => [event.type, 'number' in event.data ? event.data.number : undefined, 'applied' in event.data ? event.data.applied.minor : undefined])).toEqual([
      ['InstalmentPaid', 1, 25_000],
      ['InstalmentPaid', 2, 25_000],
      ['InstalmentPartiallyPaid', 3, 10_000],
    ]);
    const rest = given(...running(), ...ahead).when(pay('BANK-2', 70_000, '2027-01-05')).events();
    expect(rest.map((event) => event.type)).toEqual(['InstalmentPaid', 'InstalmentPaid', 'PlanCompleted']);
    expect(rest[2]).toEqual({ type: 'PlanCompleted', data: { planId: PLAN, accountId, outcome: 'paid-in-full', total: usd(100_000), paid: usd(100_000), completedOn: '2027-01-05' } });
    given(...running(), ...ahead, ...rest).when(pay('BANK-3', 1_000, '2027-01-06')).then([]);
  });

  it('a settlement completes as settled', () => {
    const history = given().when(propose({ settlement: { amount: usd(92_000) } }, 1)).events();
    const started = [...history, ...given(...history).when(accept()).events()];
    expect(given(...started).when(pay('BANK-1', 92_000)).events().at(-1)).toEqual({
      type: 'PlanCompleted',
      data: { planId: PLAN, accountId, outcome: 'settled', total: usd(92_000), paid: usd(92_000), completedOn: '2026-12-10' },
    });
  });

  it('a payment in another currency, or delivered again, changes nothing', () => {
    given(...running()).when(pay('EUR-1', 25_000, '2026-12-10', 'EUR')).then([]);
    const paid = given(...running()).when(pay('BANK-1', 25_000)).events();
    given(...running(), ...paid).when(pay('BANK-1', 25_000)).then([]);
  });
});

describe('missed instalments and default (a durable timer per instalment)', () => {
  it('an instalment is missed when its grace ends unpaid, exactly then and not a millisecond before', () => {
    const partial = given(...running()).when(pay('BANK-1', 10_000)).events();
    given(...running(), ...partial).when(check(1), { now: '2026-12-20T23:59:59.999Z' }).then([]);
    given(...running(), ...partial)
      .when(check(1), { now: '2026-12-21T00:00:00.000Z' })
      .then([{ type: 'InstalmentMissed', data: { planId: PLAN, accountId, number: 1, dueDate: '2026-12-15', amount: usd(25_000), paid: usd(10_000), missedOutstanding: 1 } }]);
  });

  it('the check re-checks: a paid or already missed instalment, or a plan no longer running, gives nothing', () => {
    const paid = given(...running()).when(pay('BANK-1', 25_000)).events();
    given(...running(), ...paid).when(check(1), { now: '2026-12-22T00:00:00.000Z' }).then([]);
    const missed = given(...running()).when(check(1), { now: '2026-12-21T00:00:00.000Z' }).events();
    given(...running(), ...missed).when(check(1), { now: '2026-12-22T00:00:00.000Z' }).then([]);
    const cancelled = given(...running()).when(cancel()).events();
    given(...running(), ...cancelled).when(check(1), { now: '2026-12-22T00:00:00.000Z' }).then([]);
    given(...proposed()).when(check(1), { now: '2026-12-22T00:00:00.000Z' }).then([]);
  });

  it('the second missed instalment not since paid defaults the plan', () => {
    const first = given(...running()).when(check(1), { now: '2026-12-21T00:00:00.000Z' }).events();
    const second = given(...running(), ...first).when(check(2), { now: '2027-01-21T00:00:00.000Z' }).events();
    expect(second).toEqual([
      { type: 'InstalmentMissed', data: { planId: PLAN, accountId, number: 2, dueDate: '2027-01-15', amount: usd(25_000), paid: usd(0), missedOutstanding: 2 } },
      { type: 'PlanDefaulted', data: { planId: PLAN, accountId, missedInstalments: [1, 2], total: usd(100_000), paid: usd(0), outstanding: usd(100_000), defaultedOn: '2027-01-21' } },
    ]);
    // Defaulted: payments no longer go to the plan.
    given(...running(), ...first, ...second).when(pay('BANK-9', 25_000, '2027-01-22')).then([]);
  });

  it('a late payment after a missed instalment pays the missed one first and cures it, so the next miss does not default', () => {
    const first = given(...running()).when(check(1), { now: '2026-12-21T00:00:00.000Z' }).events();
    const late = given(...running(), ...first).when(pay('BANK-LATE', 30_000, '2026-12-28')).events();
    expect(late).toEqual([
      {
        type: 'InstalmentPaid',
        data: { planId: PLAN, accountId, number: 1, dueDate: '2026-12-15', paymentReference: 'BANK-LATE', receivedOn: '2026-12-28', applied: usd(25_000), paidTotal: usd(25_000), amount: usd(25_000), late: true, wasMissed: true },
      },
      {
        type: 'InstalmentPartiallyPaid',
        data: { planId: PLAN, accountId, number: 2, dueDate: '2027-01-15', paymentReference: 'BANK-LATE', receivedOn: '2026-12-28', applied: usd(5_000), paidTotal: usd(5_000), amount: usd(25_000), late: false },
      },
    ]);
    expect(given(...running(), ...first, ...late).when(check(2), { now: '2027-01-21T00:00:00.000Z' }).events()).toEqual([
      { type: 'InstalmentMissed', data: { planId: PLAN, accountId, number: 2, dueDate: '2027-01-15', amount: usd(25_000), paid: usd(5_000), missedOutstanding: 1 } },
    ]);
  });
});

describe('CancelPlan', () => {
  it('withdraws a proposed or running plan once; refuses an unknown or an ended one', () => {
    given(...proposed()).when(cancel('debtor declined')).then([{ type: 'PlanCancelled', data: { planId: PLAN, accountId, reason: 'debtor declined', wasAccepted: false } }]);
    const cancelled = given(...running()).when(cancel('replaced by a settlement')).events();
    expect(cancelled).toEqual([{ type: 'PlanCancelled', data: { planId: PLAN, accountId, reason: 'replaced by a settlement', wasAccepted: true } }]);
    given(...running(), ...cancelled).when(cancel()).then([]);
    given(...running(), ...cancelled).when(pay('BANK-1', 25_000)).then([]);
    given().when(cancel()).thenRefuses(ErrorCode.NOT_FOUND, 'data.planId');
    const completed = given(...running()).when(pay('BANK-1', 100_000)).events();
    given(...running(), ...completed).when(cancel()).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.planId');
  });
});
