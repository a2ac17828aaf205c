/**
 * accounts' pact with promises-to-pay: the PromiseBroken it counts against the account. The body is the whole
 * event, because noteBrokenPromise decodes it through the promises catalog, which checks every field; what the
 * command is made of (account, promise, due date, and the event's id and time) is pinned by format.
 */
import { noteBrokenPromise } from '@arrears/accounts/src/account/broken-promises';
import { accounts, CommandCatalog } from '@arrears/contracts';
import { calendarDate, consumerPact, eventHeaders, money, receivedEvent, uuid } from '../event-messages';

const pact = consumerPact('accounts', 'promises-to-pay');
const ACCOUNT_COMMANDS = new CommandCatalog(accounts.ACCOUNT_COMMANDS);

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const promiseId = '11111111-1111-4111-8111-111111111111';
const eventId = '3b0f6f55-2c1e-4d7a-9f3e-8a1b2c3d4e5f';
const occurredAt = '2026-12-09T00:00:05.000Z';

describe('accounts consumes promises-to-pay’s PromiseBroken', () => {
  it('turns a PromiseBroken into a valid NoteBrokenPromise, derived from the event so a redelivery is the same command', () =>
    pact
      .addAsynchronousInteraction()
      .given('an open promise, partly paid, whose break time has come')
      .expectsToReceive('a PromiseBroken', (message) =>
        message
          .withMetadata(
            eventHeaders({ type: 'PromiseBroken', schemaVersion: 1, streamId: `promise-${accountId}`, caseId: accountId, eventId, occurredAt, actorId: 'system:promises-to-pay' }),
          )
          .withJSONContent({
            promiseId: uuid(promiseId),
            accountId: uuid(accountId),
            promised: money(20_000, 'USD'),
            paid: money(5_000, 'USD'),
            dueDate: calendarDate('2026-12-05'),
            brokenOn: calendarDate('2026-12-09'),
          }),
      )
      .executeTest(async (message) => {
        const event = receivedEvent(message);
        const command = noteBrokenPromise(event);
        expect(ACCOUNT_COMMANDS.parse(command)).toEqual(command);
        expect(command).toMatchObject({
          type: 'NoteBrokenPromise',
          data: { accountId, promiseId, dueDate: '2026-12-05' },
          metadata: { causationId: eventId, correlationId: event.metadata.correlationId, caseId: accountId, actorRole: 'system', now: occurredAt },
        });
        expect(noteBrokenPromise(receivedEvent(message)).commandId).toBe(command.commandId);
      }));
});
