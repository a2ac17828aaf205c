/**
 * Plan and account histories for the read-model tests. The plan events are decided by the plan rules themselves
 * (`planDecider(DEFAULT_PLAN_POLICY)` over `evolve`), so every history is one the service could write; each is stored
 * as the event store would give it back, its data encoded by the contracts.
 */
import { randomUUID } from 'node:crypto';
import { EventCatalog, paymentPlans, type EventEnvelope, type Role } from '@arrears/contracts';
import { AccountStream, History } from '@arrears/read-models/src/testing/history';
import { storedEvent } from '@arrears/testing';
import type { AccountStanding, PlanCommandBody } from '../../plan/domain/commands';
import { planDecider } from '../../plan/domain/decide';
import { evolve, initialState, type CasePlans, type PlanEvent } from '../../plan/domain/plans';
import { DEFAULT_PLAN_POLICY } from '../../plan/domain/policy';

type Actor = { readonly id: string; readonly role: Role };
type Options = NonNullable<Extract<PlanCommandBody, { type: 'ProposePlan' }>['data']['options']>;

const planCatalog = new EventCatalog(paymentPlans.PLAN_EVENTS);
const decide = planDecider(DEFAULT_PLAN_POLICY);
const SYSTEM: Actor = { id: 'system:payment-plans', role: 'system' };
export const COLLECTOR_7: Actor = { id: 'collector-7', role: 'collector' };
export const COLLECTOR_9: Actor = { id: 'collector-9', role: 'collector' };
export const SUPERVISOR_2: Actor = { id: 'supervisor-2', role: 'supervisor' };

export { AccountStream, History };

export interface Proposal {
  readonly planId?: string;
  readonly instalments: number;
  readonly frequency?: paymentPlans.Frequency;
  readonly firstDueDate: string;
  readonly options?: Options;
  readonly by?: Actor;
  readonly at: string;
}

/**
 * One case's plan stream (`plan-<accountId>`): each call is a command the plan rules decide on the case's state, its
 * events stored as the next of the stream (`caseId` the account, the actor the command's, or the service's for its
 * payments and timers). `account` is what the rules read of the account; set it when the balance changes.
 */
export class PlanStream {
  readonly events: EventEnvelope[] = [];
  private state: CasePlans = initialState();

  constructor(
    private readonly history: History,
    public account: AccountStanding = { status: 'open', currency: 'USD', balance: { principal: 90_000, fees: 6_000, interest: 4_000 }, flags: [] },
    readonly accountId: string = randomUUID(),
  ) {}

  /** The command's events, or none when the rules decide nothing is to be done. */
  run(body: PlanCommandBody, now: string, actor: Actor = SYSTEM): EventEnvelope[] {
    const command = { ...body, commandId: randomUUID(), schemaVersion: 1, metadata: { correlationId: randomUUID(), caseId: this.accountId, actorId: actor.id, actorRole: actor.role, now } };
    return decide(command, this.state).map((event: PlanEvent) => {
      this.state = evolve(this.state, event);
      const stored = this.history.store(storedEvent(planCatalog.encode(event), this.accountId, { occurredAt: now, actorId: actor.id, actorRole: actor.role }), `plan-${this.accountId}`, this.events.length);
      this.events.push(stored);
      return stored;
    });
  }

  /** Proposes a plan; returns its id. */
  propose(proposal: Proposal): string {
    const planId = proposal.planId ?? randomUUID();
    const { instalments, frequency = 'monthly', firstDueDate, options } = proposal;
    this.decided(this.run({ type: 'ProposePlan', data: { planId, accountId: this.accountId, instalments, frequency, firstDueDate, ...(options ? { options } : {}) }, account: this.account }, proposal.at, proposal.by ?? COLLECTOR_7));
    return planId;
  }

  approve(planId: string, at: string, by: Actor = SUPERVISOR_2, note?: string): EventEnvelope[] {
    return this.decided(this.run({ type: 'ApprovePlan', data: { planId, accountId: this.accountId, ...(note ? { note } : {}) } }, at, by));
  }

  accept(planId: string, at: string, via: Actor = COLLECTOR_7): EventEnvelope[] {
    const commitment = { documentId: `doc-${planId.slice(0, 8)}`, sha256: 'a'.repeat(64) };
    return this.decided(this.run({ type: 'AcceptPlan', data: { planId, accountId: this.accountId, commitment }, account: this.account }, at, via));
  }

  /** A payment the accounts service posted, received on `receivedOn` and applied at noon UTC that day unless `at` says. */
  pay(reference: string, minor: number, receivedOn: string, at = `${receivedOn}T12:00:00.000Z`): EventEnvelope[] {
    const currency = this.account.currency ?? 'USD';
    return this.run({ type: 'ApplyPayment', data: { accountId: this.accountId, paymentReference: reference, amount: { minor, currency }, receivedOn } }, at);
  }

  /** The durable timer of an instalment firing at its `missesAt`. */
  check(planId: string, number: number): EventEnvelope[] {
    const instalment = this.state.current?.planId === planId ? this.state.current.instalments.find((candidate) => candidate.number === number) : undefined;
    if (instalment === undefined || instalment.missesAt === '') throw new Error(`plan ${planId} is not running on this stream, or has no instalment ${number}`);
    return this.run({ type: 'CheckInstalment', data: { accountId: this.accountId, planId, number } }, instalment.missesAt);
  }

  cancel(planId: string, reason: string, at: string, by: Actor = COLLECTOR_7): EventEnvelope[] {
    return this.decided(this.run({ type: 'CancelPlan', data: { planId, accountId: this.accountId, reason } }, at, by));
  }

  private decided(events: EventEnvelope[]): EventEnvelope[] {
    if (events.length === 0) throw new Error('the plan rules decided nothing: the test history is not what it meant to be');
    return events;
  }
}

export interface Case {
  readonly accountId: string;
  readonly plans: PlanStream;
  readonly account: AccountStream;
}

/** A case of its own: its plan stream and its account stream, on one history. */
export function newCase(history: History, account?: AccountStanding): Case {
  const plans = new PlanStream(history, account);
  return { accountId: plans.accountId, plans, account: new AccountStream(plans.accountId, history) };
}

export interface RealisticPlans {
  readonly history: History;
  /** Every event of both kinds of stream, in the order they were committed. */
  readonly events: readonly EventEnvelope[];
  readonly planStreams: readonly PlanStream[];
  readonly accountStreams: readonly AccountStream[];
  readonly a: Case;
  readonly b: Case;
  readonly c: Case;
  readonly d: Case;
  readonly e: Case;
  /** The plans by name (see `realisticPlans`). */
  readonly p: Readonly<Record<'pa' | 'pb' | 'pb2' | 'pc1' | 'pc2' | 'pd1' | 'pd2' | 'pe', string>>;
}

/**
 * Five cases worked by two collectors and a supervisor, April to June 2026 (balances 1,000.00 = 900 principal, 60
 * fees, 40 interest unless said):
 * - A (USD): 1-30 days and medium risk from 1 April; high risk from 15 April, 31-90 days from 20 April; a flag on 18
 *   April (an account event the read model ignores). pa (collector-7, 2 April): 3 monthly instalments from 15 April,
 *   accepted 3 April; #1 paid on its day, #2 10.00 on 14 May and the rest on 18 May (late, in grace), #3 on 10 June:
 *   completed.
 * - B (EUR): 31-90 days and high risk since 20 March, medium risk from 18 April. pb (collector-7, 3 April): settles
 *   for 750.00 (25 % off, beyond a collector's limit) in 3 fortnightly instalments from 10 April; approved by
 *   supervisor-2 on 4 April, accepted 5 April; #1 paid, #2 missed on 30 April, #3 missed on 14 May: defaulted.
 *   pb2 (collector-9, 16 May, on the 750.00 left): 24 monthly instalments from 1 June, a term extension beyond a
 *   collector's limit: awaiting approval.
 * - C (USD, 200.00 owed), no bucket or tier known. pc1 (collector-9, 5 April) freezes interest, which a collector may
 *   not grant; cancelled on 8 April before anyone approved it. pc2 (collector-9, 9 April): 4 weekly instalments of
 *   50.00 from 17 April, accepted 10 April; #1 paid; #2 20.00 paid on its day, missed on 30 April, the rest paid on
 *   2 May (late: cured); #3 (1 May) missed on 7 May; #4 (8 May) unpaid, not yet checked: running.
 * - D (USD): 90+ days and low risk since 1 March. pd1 (collector-7, 20 April): 2 monthly from 1 May, accepted 21
 *   April, cancelled 25 April by supervisor-2 (replaced). pd2 (collector-9, 26 April): waives the 60.00 fees (within a
 *   collector's limit), 2 monthly instalments of 470.00 from 15 May, accepted 27 April; nothing paid: running.
 * - E (GBP, 600.00 owed): current from 1 April, no tier known. pe (collector-7, 28 April): 6 monthly instalments of
 *   100.00 from 20 May: proposed.
 */
export function realisticPlans(): RealisticPlans {
  const history = new History();
  const a = newCase(history);
  const b = newCase(history, { status: 'open', currency: 'EUR', balance: { principal: 90_000, fees: 6_000, interest: 4_000 }, flags: [] });
  const c = newCase(history, { status: 'open', currency: 'USD', balance: { principal: 20_000, fees: 0, interest: 0 }, flags: [] });
  const d = newCase(history);
  const e = newCase(history, { status: 'open', currency: 'GBP', balance: { principal: 60_000, fees: 0, interest: 0 }, flags: [] });

  d.account.agingBucket('90+', 95, '2026-03-01T05:00:00.000Z');
  d.account.riskTier('low', 20, '2026-03-01T05:00:01.000Z');
  b.account.skip(2).agingBucket('31-90', 40, '2026-03-20T05:00:00.000Z');
  b.account.riskTier('high', 80, '2026-03-20T05:00:01.000Z');
  a.account.skip(3).agingBucket('1-30', 12, '2026-04-01T05:00:00.000Z');
  a.account.riskTier('medium', 55, '2026-04-01T05:00:01.000Z');
  e.account.skip().agingBucket('current', 0, '2026-04-01T06:00:00.000Z');

  const pa = a.plans.propose({ instalments: 3, firstDueDate: '2026-04-15', at: '2026-04-02T10:00:00.000Z' });
  a.plans.accept(pa, '2026-04-03T09:00:00.000Z');
  const pb = b.plans.propose({ instalments: 3, frequency: 'fortnightly', firstDueDate: '2026-04-10', options: { settlement: { amount: { minor: 75_000, currency: 'EUR' } } }, at: '2026-04-03T11:00:00.000Z' });
  b.plans.approve(pb, '2026-04-04T10:00:00.000Z', SUPERVISOR_2, 'Hardship documented');
  const pc1 = c.plans.propose({ instalments: 4, frequency: 'weekly', firstDueDate: '2026-04-20', options: { interestFreeze: true }, by: COLLECTOR_9, at: '2026-04-05T10:00:00.000Z' });
  b.plans.accept(pb, '2026-04-05T12:00:00.000Z');
  c.plans.cancel(pc1, 'Debtor declined the plan', '2026-04-08T10:00:00.000Z', COLLECTOR_9);
  const pc2 = c.plans.propose({ instalments: 4, frequency: 'weekly', firstDueDate: '2026-04-17', by: COLLECTOR_9, at: '2026-04-09T10:00:00.000Z' });
  c.plans.accept(pc2, '2026-04-10T10:00:00.000Z', COLLECTOR_9);
  b.plans.pay('SEPA-B-1', 25_000, '2026-04-10');
  a.account.skip().riskTier('high', 78, '2026-04-15T05:00:00.000Z');
  a.plans.pay('ACH-A-1', 33_333, '2026-04-15');
  c.plans.pay('ACH-C-1', 5_000, '2026-04-17');
  b.account.skip(2).riskTier('medium', 60, '2026-04-18T05:00:00.000Z');
  a.account.append('AccountFlagged', { flag: 'vulnerable', reason: 'Told the collector of a bereavement' }, '2026-04-18T11:00:00.000Z');
  a.account.agingBucket('31-90', 31, '2026-04-20T05:00:00.000Z');
  const pd1 = d.plans.propose({ instalments: 2, firstDueDate: '2026-05-01', at: '2026-04-20T14:00:00.000Z' });
  d.plans.accept(pd1, '2026-04-21T10:00:00.000Z');
  c.plans.pay('ACH-C-2', 2_000, '2026-04-24');
  d.plans.cancel(pd1, 'Replaced by a settlement', '2026-04-25T10:00:00.000Z', SUPERVISOR_2);
  const pd2 = d.plans.propose({ instalments: 2, firstDueDate: '2026-05-15', options: { feeWaiver: true }, by: COLLECTOR_9, at: '2026-04-26T10:00:00.000Z' });
  d.plans.accept(pd2, '2026-04-27T10:00:00.000Z', COLLECTOR_9);
  const pe = e.plans.propose({ instalments: 6, firstDueDate: '2026-05-20', at: '2026-04-28T10:00:00.000Z' });
  b.plans.check(pb, 2);
  c.plans.check(pc2, 2);
  c.plans.pay('ACH-C-3', 3_000, '2026-05-02');
  c.plans.check(pc2, 3);
  b.plans.check(pb, 3);
  a.plans.pay('ACH-A-2', 10_000, '2026-05-14');
  b.plans.account = { ...b.plans.account, balance: { principal: 65_000, fees: 6_000, interest: 4_000 } };
  const pb2 = b.plans.propose({ instalments: 24, firstDueDate: '2026-06-01', options: { termExtension: true }, by: COLLECTOR_9, at: '2026-05-16T10:00:00.000Z' });
  a.plans.pay('ACH-A-3', 23_333, '2026-05-18');
  a.plans.pay('ACH-A-4', 33_334, '2026-06-10');

  const cases = [a, b, c, d, e];
  return {
    history,
    events: history.events,
    planStreams: cases.map((one) => one.plans),
    accountStreams: cases.map((one) => one.account),
    a,
    b,
    c,
    d,
    e,
    p: { pa, pb, pb2, pc1, pc2, pd1, pd2, pe },
  };
}
