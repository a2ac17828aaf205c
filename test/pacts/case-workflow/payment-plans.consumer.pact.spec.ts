/**
 * case-workflow's pact with payment-plans: a plan's life as the case follows it (signals.ts → readEvent) —
 * proposed and accepted (the case negotiates), an instalment missed and the plan defaulted (it is pressed), the plan
 * completed (the case closes) or cancelled. Each body is the whole event, because readEvent decodes it through the
 * plan catalog, which checks every field; what the saga reads (the account and the plan) is pinned by format, the
 * rest by type. The PlanCompleted is the message accounts pacts as well.
 */
import { paymentPlans } from '@arrears/contracts';
import { MatchersV3 } from '@pact-foundation/pact';
import { consumerPact, eventHeaders, uuid } from '../event-messages';
import { readsAs, signal } from './readings';

const { eachLike, integer, like } = MatchersV3;

const pact = consumerPact('case-workflow', 'payment-plans');

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const planId = '11111111-1111-4111-8111-111111111111';
const ids = { planId: uuid(planId), accountId: uuid(accountId) };
const usd = (minor: number) => like({ minor, currency: 'USD' });
const headers = (type: paymentPlans.PlanEvent['type'], actorId = 'collector-7') => eventHeaders({ type, schemaVersion: 1, streamId: `plan-${accountId}`, caseId: accountId, actorId });
const SYSTEM = 'system:payment-plans';

describe('case-workflow reads payment-plans’ events into the case', () => {
  it('PlanProposed: a plan is on the table', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection',
        description: 'a PlanProposed',
        headers: headers('PlanProposed'),
        body: {
          ...ids,
          balance: usd(80_000),
          total: usd(80_000),
          outcome: like('paid-in-full'),
          frequency: like('monthly'),
          schedule: eachLike({ number: integer(1), dueDate: like('2026-12-15'), amount: usd(40_000) }),
          options: like({ interestFreeze: false, termExtension: false }),
          approvalsNeeded: like([]),
          graceDays: integer(5),
          missedToDefault: integer(2),
          proposedBy: like('collector-7'),
        },
      },
      signal(accountId, 'plan-proposed', { planId }),
    ));

  it('PlanAccepted: the debtor committed to the plan', () =>
    readsAs(
      pact,
      {
        state: 'a proposed plan',
        description: 'a PlanAccepted',
        headers: headers('PlanAccepted'),
        body: {
          ...ids,
          commitment: like({ documentId: 'doc-0042', sha256: 'c'.repeat(64) }),
          acceptedOn: like('2026-11-30'),
          total: usd(80_000),
          outcome: like('paid-in-full'),
          schedule: eachLike({ number: integer(1), dueDate: like('2026-12-15'), amount: usd(40_000), missesAt: like('2026-12-21T00:00:00.000Z') }),
          acceptedVia: like('collector-7'),
        },
      },
      signal(accountId, 'plan-accepted', { planId }),
    ));

  it('InstalmentMissed: an instalment was not paid by the end of its grace', () =>
    readsAs(
      pact,
      {
        state: 'a running plan with no instalment paid',
        description: 'an InstalmentMissed',
        headers: headers('InstalmentMissed', SYSTEM),
        body: { ...ids, number: integer(1), dueDate: like('2026-12-15'), amount: usd(40_000), paid: usd(0), missedOutstanding: integer(1) },
      },
      signal(accountId, 'instalment-missed', { planId }),
    ));

  it('PlanDefaulted: the plan failed', () =>
    readsAs(
      pact,
      {
        state: 'a running plan with its first instalment missed',
        description: 'a PlanDefaulted',
        headers: headers('PlanDefaulted', SYSTEM),
        body: { ...ids, missedInstalments: eachLike(integer(1)), total: usd(80_000), paid: usd(0), outstanding: usd(80_000), defaultedOn: like('2027-01-21') },
      },
      signal(accountId, 'plan-defaulted', { planId }),
    ));

  it('PlanCompleted: every instalment was paid', () =>
    readsAs(
      pact,
      {
        state: 'a running plan with one instalment left',
        description: 'a PlanCompleted',
        headers: headers('PlanCompleted', SYSTEM),
        body: { ...ids, outcome: like('paid-in-full'), total: usd(80_000), paid: usd(80_000), completedOn: like('2026-12-02') },
      },
      signal(accountId, 'plan-completed', { planId }),
    ));

  it('PlanCancelled: the plan was withdrawn', () =>
    readsAs(
      pact,
      {
        state: 'a running plan with no instalment paid',
        description: 'a PlanCancelled',
        headers: headers('PlanCancelled'),
        body: { ...ids, reason: like('the debtor’s circumstances changed'), wasAccepted: like(true) },
      },
      signal(accountId, 'plan-cancelled', { planId }),
    ));
});
