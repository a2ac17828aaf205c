/**
 * A case's placement — its creditor, its product and the debtor's jurisdiction — for a read model that narrows its
 * lists and figures by them. Learnt from the account's AccountPlaced, the only event that sets them: none of the
 * three changes after it. The service keeps its own `case_placements` table (the SQL of its migration, and an entity
 * extending `CasePlacementColumns` that names the case's column as that migration did); this module keeps the rest.
 */
import 'reflect-metadata';
import { accounts, EventCatalog, streamCategory, type EventEnvelope } from '@arrears/contracts';
import { Column, type EntityTarget } from 'typeorm';
import { expectStream } from './stream-guards';
import { applyOnce, type ProjectionTarget } from './transactions';

/**
 * `case_placements`, one row per case. A service's entity (`@Entity({ name: 'case_placements' })`) extends this with
 * `caseId`, in the column its migration named (`account_id`, or legal's `case_id`).
 */
export abstract class CasePlacementColumns {
  abstract caseId: string;

  @Column({ name: 'creditor_id', type: 'text' })
  creditorId!: string;

  @Column({ name: 'product', type: 'text' })
  product!: accounts.Product;

  /** The debtor's (`US-IL`). */
  @Column({ name: 'jurisdiction', type: 'text' })
  jurisdiction!: string;
}

const placements = new EventCatalog([accounts.AccountPlaced]);

/** Whether the event is an account's placement, which `recordCasePlacement` takes. */
export function isCasePlacement(envelope: Pick<EventEnvelope, 'streamId' | 'type'>): boolean {
  return streamCategory(envelope.streamId) === 'account' && envelope.type === accounts.AccountPlaced.type;
}

/**
 * Records the case's placement from its AccountPlaced, once (`processOnce` under the target's consumer), and never
 * changes a row already there: a placement is the first event of its stream and nothing in it changes after, so it
 * needs no stream order. What the read model records before the placement arrives simply matches no creditor,
 * product or jurisdiction filter until then.
 */
export async function recordCasePlacement(target: ProjectionTarget, entity: EntityTarget<CasePlacementColumns>, envelope: EventEnvelope): Promise<void> {
  const event = placements.decode(envelope) as Extract<accounts.AccountEvent, { type: 'AccountPlaced' }>;
  const caseId = event.data.accountId;
  expectStream(envelope, `account-${caseId}`, caseId);
  const row: CasePlacementColumns = { caseId, creditorId: event.data.creditor.creditorId, product: event.data.product, jurisdiction: event.data.debtor.jurisdiction };
  await applyOnce(target, envelope, async (manager) => {
    await manager.createQueryBuilder().insert().into(entity).values(row).orIgnore().execute();
  });
}
