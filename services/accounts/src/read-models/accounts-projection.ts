import { accounts, ArrearsError, ErrorCode, EventCatalog, type EventEnvelope } from '@arrears/contracts';
import { applyOnce, outOfOrder, type ProjectionTarget } from '@arrears/read-models';
import { Not, type DataSource, type EntityManager } from 'typeorm';
import { AccountActivity, AccountSummary } from './entities';
import { maskContactDetails, maskDebtor, type PersonalDataReader } from './personal-data';
import { schemaOf } from './schema';
import { activityOf, erasedSummary, evolveSummary, placedSummary, type AccountEvent, type Applied, type LaterEvent } from './summary-evolution';

export interface AccountsProjectionOptions {
  readonly dataSource: DataSource;
  readonly reader: PersonalDataReader;
  /**
   * The name `processOnce` records applied events under: the handler's durable consumer
   * (`JetStreamContext.getConsumerName()`), e.g. `accounts__read-models`.
   */
  readonly consumer: string;
}

const catalog = new EventCatalog(accounts.ACCOUNT_EVENTS);

/**
 * Keeps `account_summaries` and `account_activity` from the account events. Each event is applied in one
 * transaction together with its `processOnce` record, so a redelivery changes nothing. Independently of that
 * record, every update is guarded by the stream position last applied to the account: an event at or below it
 * is skipped, so replaying a history (under another consumer name, or from the start) changes nothing either,
 * and an event whose predecessor has not been applied yet is refused (CONCURRENCY_CONFLICT) to be retried.
 */
export class AccountsProjection {
  private readonly target: ProjectionTarget;
  private readonly reader: PersonalDataReader;

  constructor(options: AccountsProjectionOptions) {
    this.target = { dataSource: options.dataSource, consumer: options.consumer, schema: schemaOf(options.dataSource) };
    this.reader = options.reader;
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    const event = catalog.decode(envelope);
    if (envelope.streamId !== `account-${event.data.accountId}`) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} for account ${event.data.accountId} arrived on stream ${envelope.streamId}`, { field: 'streamId' });
    }
    const at: Applied = { eventId: envelope.eventId, streamPosition: envelope.streamPosition, occurredAt: new Date(envelope.occurredAt) };
    await applyOnce(this.target, envelope, (manager) => this.apply(manager, event, at, envelope.streamId));
  }

  private async apply(manager: EntityManager, event: AccountEvent, at: Applied, streamId: string): Promise<void> {
    const accountId = event.data.accountId;
    // The row lock orders concurrent events of one account; the position check below does the rest.
    const current = await manager.findOne(AccountSummary, { where: { accountId }, lock: { mode: 'pessimistic_write' } });
    if (event.type === 'AccountPlaced') {
      if (current !== null) return;
      const placed = placedSummary(event.data, at, await maskDebtor(this.reader, event.data.debtor));
      await manager.createQueryBuilder().insert().into(AccountSummary).values(placed).orIgnore().execute();
      return;
    }
    if (current === null) throw outOfOrder({ streamId, streamPosition: at.streamPosition }, 0);
    if (at.streamPosition <= current.lastAppliedPosition) return;
    if (at.streamPosition !== current.lastAppliedPosition + 1) throw outOfOrder({ streamId, streamPosition: at.streamPosition }, current.lastAppliedPosition + 1);

    const next = evolveSummary(current, event, at, await this.maskedContact(current, event));
    const { accountId: _key, ...changes } = next;
    await manager.update(AccountSummary, { accountId, lastAppliedPosition: current.lastAppliedPosition }, changes);
    const activity = activityOf(next, event, at);
    if (activity !== null) await manager.createQueryBuilder().insert().into(AccountActivity).values(activity).orIgnore().execute();
    if (event.type === 'DebtorDataErased') await this.eraseDebtorElsewhere(manager, event.data.debtorId, accountId);
  }

  /**
   * The key that was deleted is the debtor's, not the account's: their other accounts read as erased from now on
   * too. Only the personal columns change there; those accounts' own positions do not move.
   */
  private async eraseDebtorElsewhere(manager: EntityManager, debtorId: string, accountId: string): Promise<void> {
    const others = await manager.find(AccountSummary, { where: { debtorId, accountId: Not(accountId), erased: false }, order: { accountId: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    for (const other of others) await manager.update(AccountSummary, { accountId: other.accountId }, erasedSummary(other));
  }

  /** Only new contact details are opened, and never once the debtor is erased. */
  private async maskedContact(current: AccountSummary, event: LaterEvent) {
    if (event.type !== 'ContactDetailsUpdated' || current.erased) return null;
    return maskContactDetails(this.reader, event.data.debtorId, event.data);
  }
}
