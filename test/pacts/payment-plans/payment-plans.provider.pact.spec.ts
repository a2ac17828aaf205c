/**
 * payment-plans verifies every consumer's pact with it against the events it really makes: each message is a
 * command run through the service's command side (PlanCommands: read the account's standing, load → decide →
 * append with the plan decider and catalog) over an in-memory store, read back and published as the relay publishes
 * it. A change to what the plan rules decide that breaks a consumer fails here.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '@arrears/contracts';
import { InMemoryEventStore } from '@arrears/event-store';
import { DEFAULT_PLAN_POLICY } from '@arrears/payment-plans/src/plan/domain/policy';
import type { PlanEvent } from '@arrears/payment-plans/src/plan/domain/plans';
import { PlanCommands } from '@arrears/payment-plans/src/plan/plan-commands';
import { accountPlaced } from '@arrears/testing';
import { publishedMessage, verifyProvider } from '../event-messages';

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const planId = '11111111-1111-4111-8111-111111111111';
type Sent = Parameters<PlanCommands['handle']>[0];
type Body = Omit<Sent, 'commandId' | 'schemaVersion' | 'metadata'>;

/** One case's plans (`plan-<accountId>`): a fresh store for every provider state. */
class PlansProvider {
  readonly store = new InMemoryEventStore();
  private readonly commands = new PlanCommands(this.store, DEFAULT_PLAN_POLICY);

  /** The account the plan is made on (800.00 owed), as the accounts service stored it. */
  async placeAccount(): Promise<void> {
    await this.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId)], { expectedVersion: 'no_stream' });
  }

  send(body: Body, now: string, actor: { id: string; role: Role } = { id: 'collector-7', role: 'collector' }) {
    return this.commands.handle({ ...body, commandId: randomUUID(), schemaVersion: 1, metadata: { correlationId: randomUUID(), caseId: accountId, actorId: actor.id, actorRole: actor.role, now } } as Sent);
  }

  async publish(body: Body, now: string, event: PlanEvent['type'], actor?: { id: string; role: Role }) {
    return publishedMessage(this.store, await this.send(body, now, actor), event);
  }
}

let provider = new PlansProvider();
const system = { id: 'system:payment-plans', role: 'system' as const };
const payment = (reference: string, minor: number) => ({ type: 'ApplyPayment' as const, data: { accountId, paymentReference: reference, amount: { minor, currency: 'USD' }, receivedOn: '2026-12-02' } });
const proposal = { type: 'ProposePlan' as const, data: { planId, accountId, instalments: 2, frequency: 'monthly' as const, firstDueDate: '2026-12-15' } };
/** The debtor's written acceptance, the signed document referenced by id and SHA-256. */
const acceptance = { type: 'AcceptPlan' as const, data: { planId, accountId, commitment: { documentId: 'doc-0042', sha256: 'c'.repeat(64) } } };
/** An instalment's grace ended (its timer fired): instalment 1 was due on 15 December, 2 on 15 January; five days' grace. */
const check = (number: number) => ({ type: 'CheckInstalment' as const, data: { accountId, planId, number } });

/** A plan of two monthly instalments of 400.00 on the account's 800.00, proposed on 30 November. */
async function proposed(): Promise<void> {
  provider = new PlansProvider();
  await provider.placeAccount();
  await provider.send(proposal, '2026-11-30T15:00:00.000Z');
}

/** The plan, accepted in writing: it runs. */
async function running(): Promise<void> {
  await proposed();
  await provider.send(acceptance, '2026-11-30T15:10:00.000Z');
}

describe('payment-plans, as a message provider', () => {
  it('publishes what each consumer’s pact expects', () =>
    verifyProvider({
      provider: 'payment-plans',
      consumers: ['accounts', 'case-workflow'],
      stateHandlers: {
        'an account in collection': async () => {
          provider = new PlansProvider();
          await provider.placeAccount();
        },
        'a proposed plan': proposed,
        'a running plan with no instalment paid': running,
        'a running plan with its first instalment missed': async () => {
          await running();
          await provider.send(check(1), '2026-12-21T00:00:05.000Z', system);
        },
        'a running plan with one instalment left': async () => {
          await running();
          await provider.send(payment('BANK-1', 40_000), '2026-12-01T10:00:00.000Z', system);
        },
      },
      messageProviders: {
        'a PlanProposed': () => provider.publish(proposal, '2026-11-30T15:00:00.000Z', 'PlanProposed'),
        'a PlanAccepted': () => provider.publish(acceptance, '2026-11-30T15:10:00.000Z', 'PlanAccepted'),
        'an InstalmentMissed': () => provider.publish(check(1), '2026-12-21T00:00:05.000Z', 'InstalmentMissed', system),
        // The second instalment missed too: as many as the plan allows.
        'a PlanDefaulted': () => provider.publish(check(2), '2027-01-21T00:00:05.000Z', 'PlanDefaulted', system),
        'a PlanCancelled': () => provider.publish({ type: 'CancelPlan', data: { planId, accountId, reason: 'the debtor’s circumstances changed' } }, '2026-12-05T11:00:00.000Z', 'PlanCancelled'),
        // The last instalment's payment, as accounts posted it.
        'a PlanCompleted': () => provider.publish(payment('BANK-20261202-0042', 40_000), '2026-12-02T14:00:01.000Z', 'PlanCompleted', system),
      },
    }));
});
