/**
 * case-workflow verifies every consumer's pact with it against the events its case saga really decides: the
 * service's SagaRuntime with `caseSaga` under the default policy, over an in-memory store, fed other services'
 * events as they publish them (../saga-provider.ts); the saga's event is read back and published as the relay
 * publishes it. A change to the case rules or what they record that breaks a consumer fails here.
 */
import { EventCatalog, promisesToPay } from '@arrears/contracts';
import { caseSaga } from '@arrears/case-workflow/src/case/case-saga';
import { DEFAULT_WORKFLOW_POLICY } from '@arrears/case-workflow/src/case/domain/policy';
import { accountEvent, storedEvent, stubCiphertext } from '@arrears/testing';
import { publishedMessage, verifyProvider } from '../event-messages';
import { SagaProvider } from '../saga-provider';

const PROMISES = new EventCatalog(promisesToPay.PROMISE_EVENTS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';

const newCase = () => new SagaProvider(caseSaga(DEFAULT_WORKFLOW_POLICY));
let provider = newCase();

/** The account, due on 1 August, placed on 29 November: 120 days past due, 800.00 owed on a credit card. */
const placed = () =>
  accountEvent(
    {
      type: 'AccountPlaced',
      data: {
        accountId,
        creditor: { creditorId: 'acme', name: 'Acme Bank' },
        creditorReference: 'CC-6f1c1a',
        product: 'credit-card',
        currency: 'USD',
        balance: { principal: 80_000, fees: 0, interest: 0 },
        dueDate: '2026-08-01',
        allocationOrder: ['fees', 'interest', 'principal'],
        debtor: { debtorId, name: stubCiphertext('name'), phones: [], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
      },
    },
    { occurredAt: '2026-11-29T09:00:00.000Z', actorId: 'supervisor-2', actorRole: 'supervisor' },
  );

/** A promise of 200.00 the debtor did not keep, as promises-to-pay's timer check breaks it at 00:00 UTC. */
const broken = (promiseId: string, dueDate: string, brokenOn: string) =>
  storedEvent(
    PROMISES.encode({ type: 'PromiseBroken', data: { promiseId, accountId, promised: { minor: 20_000, currency: 'USD' }, paid: { minor: 0, currency: 'USD' }, dueDate, brokenOn } }),
    accountId,
    { occurredAt: `${brokenOn}T00:00:05.000Z`, actorId: 'system:promises-to-pay' },
  );

describe('case-workflow, as a message provider', () => {
  it('publishes what each consumer’s pact expects', () =>
    verifyProvider({
      provider: 'case-workflow',
      consumers: ['legal-escalation'],
      stateHandlers: {
        // The case opened on the placement; the first broken promise takes it to pressure.
        'a case 120 days past due with one broken promise': async () => {
          provider = newCase();
          await provider.receive(`account-${accountId}`, placed());
          await provider.receive(`promise-${accountId}`, broken('11111111-1111-4111-8111-111111111111', '2026-11-27', '2026-12-01'));
        },
      },
      messageProviders: {
        // A second broken promise, 130 days past due: the policy's trigger (90 days, 2 promises) holds, and no hold applies.
        'a LegalEscalationRequested': async () =>
          publishedMessage(provider.store, await provider.receive(`promise-${accountId}`, broken('22222222-2222-4222-8222-222222222222', '2026-12-05', '2026-12-09')), 'LegalEscalationRequested'),
      },
    }));
});
