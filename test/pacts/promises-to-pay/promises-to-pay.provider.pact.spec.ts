/**
 * promises-to-pay verifies every consumer's pact with it against the events it really makes: each message is a
 * command run through the service's command side (PromiseCommands: load → decide → append with the promise
 * decider and catalog) over an in-memory store, read back and published as the relay publishes it. A change to what the promise rules decide
 * that breaks a consumer fails here.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '@arrears/contracts';
import { accountPlaced } from '@arrears/testing';
import { InMemoryEventStore } from '@arrears/event-store';
import type { PromiseCommandBody } from '@arrears/promises-to-pay/src/promise/domain/commands';
import { DEFAULT_PROMISE_POLICY } from '@arrears/promises-to-pay/src/promise/domain/policy';
import type { PromiseEvent } from '@arrears/promises-to-pay/src/promise/domain/promises';
import { PromiseCommands } from '@arrears/promises-to-pay/src/promise/promise-commands';
import { publishedMessage, verifyProvider } from '../event-messages';

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const promiseId = '11111111-1111-4111-8111-111111111111';

/** One case's promises (`promise-<accountId>`): a fresh store for every provider state. */
class PromisesProvider {
  readonly store = new InMemoryEventStore();
  private readonly commands = new PromiseCommands(this.store, DEFAULT_PROMISE_POLICY);

  /** The account the promise is made on, as the accounts service stored it (promises are refused on any other). */
  async placeAccount(): Promise<void> {
    await this.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId)], { expectedVersion: 'no_stream' });
  }

  send(body: PromiseCommandBody, now: string, actor: { id: string; role: Role } = { id: 'collector-7', role: 'collector' }) {
    return this.commands.handle({ ...body, commandId: randomUUID(), schemaVersion: 1, metadata: { correlationId: randomUUID(), caseId: accountId, actorId: actor.id, actorRole: actor.role, now } });
  }

  async publish(body: PromiseCommandBody, now: string, event: PromiseEvent['type'], actor?: { id: string; role: Role }) {
    return publishedMessage(this.store, await this.send(body, now, actor), event);
  }
}

let provider = new PromisesProvider();
const timer = { id: 'system:promises-to-pay', role: 'system' as const };
const promise = { promiseId, accountId, amount: { minor: 20_000, currency: 'USD' }, dueDate: '2026-12-05', channel: 'call' as const };
const payment = (minor: number) => ({ type: 'ApplyPayment' as const, data: { accountId, paymentReference: 'BANK-20261202-0042', amount: { minor, currency: 'USD' }, receivedOn: '2026-12-02' } });

/** A promise of 200.00 due on 5 December, made on 30 November; it breaks on 9 December unless kept. */
async function openPromise(): Promise<void> {
  provider = new PromisesProvider();
  await provider.placeAccount();
  await provider.send({ type: 'RecordPromise', data: promise }, '2026-11-30T15:00:00.000Z');
}

describe('promises-to-pay, as a message provider', () => {
  it('publishes what each consumer’s pact expects', () =>
    verifyProvider({
      provider: 'promises-to-pay',
      consumers: ['accounts', 'case-workflow'],
      stateHandlers: {
        'an account in collection': async () => {
          provider = new PromisesProvider();
          await provider.placeAccount();
        },
        'an open promise': openPromise,
        'an open promise, partly paid, whose break time has come': async () => {
          await openPromise();
          await provider.send(payment(5_000), '2026-12-02T14:00:00.000Z', timer);
        },
      },
      messageProviders: {
        'a PromiseRecorded': () => provider.publish({ type: 'RecordPromise', data: promise }, '2026-11-30T15:00:00.000Z', 'PromiseRecorded'),
        // The payment accounts posted, as the service applies it: all that was promised, in time.
        'a PromiseKept': () => provider.publish(payment(20_000), '2026-12-02T14:00:00.000Z', 'PromiseKept', timer),
        // As the case saga withdraws a promise when a plan is accepted.
        'a PromiseCancelled': () =>
          provider.publish(
            { type: 'CancelPromise', data: { promiseId, accountId, reason: 'replaced by payment plan 22222222-2222-4222-8222-222222222222' } },
            '2026-12-01T10:00:00.000Z',
            'PromiseCancelled',
            { id: 'system:case-workflow', role: 'system' },
          ),
        // The durable timer's check, at the promise's break time (due date + grace days + 1, 00:00 UTC).
        'a PromiseBroken': () => provider.publish({ type: 'CheckPromiseDue', data: { accountId, promiseId } }, '2026-12-09T00:00:05.000Z', 'PromiseBroken', timer),
      },
    }));
});
