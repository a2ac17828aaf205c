/**
 * accounts' pact with payment-plans: the PlanCompleted on which it closes the account. The body is the whole event,
 * because closeOnCompletedPlan decodes it through the plans catalog, which checks every field; what the command is
 * made of (account, plan, outcome, and the event's id and time) is pinned by format.
 */
import { closeOnCompletedPlan } from '@arrears/accounts/src/account/completed-plans';
import { accounts, CommandCatalog, paymentPlans } from '@arrears/contracts';
import { calendarDate, consumerPact, eventHeaders, money, oneOf, receivedEvent, uuid } from '../event-messages';

const pact = consumerPact('accounts', 'payment-plans');
const ACCOUNT_COMMANDS = new CommandCatalog(accounts.ACCOUNT_COMMANDS);

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const planId = '11111111-1111-4111-8111-111111111111';
const eventId = '5c2e8f41-7a3b-4d6e-9f1c-2b4d6e8f0a13';
const occurredAt = '2026-12-02T14:00:01.000Z';

describe('accounts consumes payment-plans’ PlanCompleted', () => {
  it('turns a PlanCompleted into a valid CloseOnCompletedPlan, derived from the event so a redelivery is the same command', () =>
    pact
      .addAsynchronousInteraction()
      .given('a running plan with one instalment left')
      .expectsToReceive('a PlanCompleted', (message) =>
        message
          .withMetadata(eventHeaders({ type: 'PlanCompleted', schemaVersion: 1, streamId: `plan-${accountId}`, caseId: accountId, eventId, occurredAt, actorId: 'system:payment-plans' }))
          .withJSONContent({
            planId: uuid(planId),
            accountId: uuid(accountId),
            outcome: oneOf(paymentPlans.PLAN_OUTCOMES, 'paid-in-full'),
            total: money(80_000, 'USD'),
            paid: money(80_000, 'USD'),
            completedOn: calendarDate('2026-12-02'),
          }),
      )
      .executeTest(async (message) => {
        const event = receivedEvent(message);
        const command = closeOnCompletedPlan(event);
        expect(ACCOUNT_COMMANDS.parse(command)).toEqual(command);
        expect(command).toMatchObject({
          type: 'CloseOnCompletedPlan',
          data: { accountId, planId, outcome: 'paid-in-full' },
          metadata: { causationId: eventId, correlationId: event.metadata.correlationId, caseId: accountId, actorRole: 'system', now: occurredAt },
        });
        expect(closeOnCompletedPlan(receivedEvent(message)).commandId).toBe(command.commandId);
      }));
});
