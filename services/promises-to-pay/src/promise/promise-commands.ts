import { accounts, ArrearsError, ErrorCode, EventCatalog, promisesToPay, type CommandEnvelope, type EventEnvelope } from '@arrears/contracts';
import { handleCommand, uuidV5, type CommandOutcome, type EventStore } from '@arrears/event-store';
import type { AccountStanding, PromiseCommandBody, PromiseCommandEnvelope } from './domain/commands';
import { promiseDecider } from './domain/decide';
import type { PromisePolicy } from './domain/policy';
import { evolve, initialState } from './domain/promises';

export const PROMISE_EVENT_CATALOG = new EventCatalog(promisesToPay.PROMISE_EVENTS);

/** Namespaces of the command ids the service derives for itself: fixed for ever, or a redelivery would act twice. */
const FROM_PAYMENT = '3b9f6c1e-2d4a-4f7b-8c5e-9a1d7e3f2b60';
const FROM_TIMER = '7e2a4c9d-1f3b-4a8e-b6c2-5d9f0e1a3c84';

export function promiseStream(accountId: string): string {
  return `promise-${accountId}`;
}

/**
 * The promises-to-pay command side: the published commands, payments the accounts service posted (each turned
 * into ApplyPayment with an id derived from the event), and the break check when a promise's timer fires (an id
 * derived from the timer). load → decide → append on the case's promise stream.
 */
export class PromiseCommands {
  private readonly decide: ReturnType<typeof promiseDecider>;

  constructor(
    private readonly store: EventStore,
    policy: PromisePolicy,
  ) {
    this.decide = promiseDecider(policy);
  }

  async handle(command: Omit<CommandEnvelope, 'type' | 'data'> & PromiseCommandBody): Promise<CommandOutcome> {
    const { accountId } = command.data;
    if (command.metadata.caseId !== undefined && command.metadata.caseId !== accountId) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A promise's case id is its account id (${accountId}), not ${command.metadata.caseId}`, { field: 'metadata.caseId' });
    }
    // A promise is made on an account that is placed and open, in its currency: read from the account's own events now.
    const account = command.type === 'RecordPromise' ? { account: await this.standing(accountId) } : {};
    const envelope = { ...command, ...account, metadata: { ...command.metadata, caseId: accountId } } as PromiseCommandEnvelope;
    return handleCommand({ store: this.store, streamId: promiseStream(accountId), initialState, evolve, decide: this.decide, events: PROMISE_EVENT_CATALOG }, envelope);
  }

  private async standing(accountId: string): Promise<AccountStanding> {
    const { status, currency } = accounts.accountStanding(await this.store.readStream(`account-${accountId}`));
    return { status, ...(currency === undefined ? {} : { currency }) };
  }

  /** A payment posted by accounts, as the service's own ApplyPayment. */
  applyPayment(event: EventEnvelope, body: Extract<PromiseCommandBody, { type: 'ApplyPayment' }>): Promise<CommandOutcome> {
    return this.handle({ ...body, ...systemCommand(uuidV5(`PaymentPosted/${event.eventId}`, FROM_PAYMENT), event.metadata.correlationId, event.eventId, event.occurredAt) });
  }

  /** A promise's break timer fired: check it, as of the moment it fired. */
  checkDue(timerId: string, accountId: string, promiseId: string, firedAt: string): Promise<CommandOutcome> {
    return this.handle({ type: 'CheckPromiseDue', data: { accountId, promiseId }, ...systemCommand(uuidV5(`PromiseDue/${timerId}`, FROM_TIMER), timerId, undefined, firedAt) });
  }
}

function systemCommand(commandId: string, correlationId: string, causationId: string | undefined, now: string) {
  return {
    commandId,
    schemaVersion: 1,
    metadata: { correlationId, ...(causationId === undefined ? {} : { causationId }), actorId: 'system:promises-to-pay', actorRole: 'system' as const, now },
  };
}
