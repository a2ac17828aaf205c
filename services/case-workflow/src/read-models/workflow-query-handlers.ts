import { ArrearsError, ErrorCode, type caseWorkflow } from '@arrears/contracts';
import type { QueryAsker, QueryHandler } from '@arrears/messaging';
import type { Page } from '@arrears/read-models';
import {
  ItemKeySchema,
  type CasesInStageOptions,
  type CasesOfCollectorOptions,
  type ItemKey,
  type MissedOptions,
  type OverdueOptions,
  type StageCountFilter,
  type StageDurationParams,
  type WorkloadFilter,
} from './query-params';
import type { ChecklistItemView, WorkflowQueries } from './workflow-queries';

type Params = Readonly<Record<string, unknown>>;

/**
 * The read models as NATS queries (`<root>.qry.case-workflow.<Query>`), for the gateway and internal systems. Each
 * validates its params (VALIDATION_FAILED naming the field). The item lists' cursor travels as one string,
 * `<caseId>/<entry>/<item>`, so that it fits in a query string. A collector asking is answered about their own cases
 * only (FORBIDDEN otherwise), whatever the gateway checked before.
 */
export function workflowQueryHandlers(queries: WorkflowQueries): Record<string, QueryHandler> {
  return {
    StageCounts: (params) => queries.stageCounts(params as StageCountFilter),
    CollectorWorkload: (params) => queries.collectorWorkload(params as WorkloadFilter),
    CasesInStage: async ({ stage, ...options }) => queries.casesInStage(required(stage, 'stage', 'contact, pressure, negotiate or close') as caseWorkflow.Stage, options as CasesInStageOptions),
    CasesOfCollector: async ({ collectorId, ...options }, asker) =>
      queries.casesOfCollector(ownCollector(required(collectorId, 'collectorId', 'the collector whose cases to list'), asker), options as CasesOfCollectorOptions),
    OverdueItems: async ({ asOf, after, collectorId, ...options }, asker) => {
      const holder = collectorId === undefined && asker.actorRole !== 'collector' ? {} : { collectorId: ownCollector(collectorId, asker) };
      return itemPage(await queries.overdueItems(asOf as string, { ...(options as OverdueOptions), ...holder, ...itemCursor(after) }));
    },
    MissedDeadlines: async ({ from, to, after, ...options }) => itemPage(await queries.missedDeadlines(from as string, to as string, { ...(options as MissedOptions), ...itemCursor(after) })),
    StageDurations: (params) => queries.stageDurations(params as StageDurationParams),
    CaseWorkflow: async (params, asker) => {
      const view = await queries.caseWorkflow(onlyCaseId(params));
      if (asker.actorRole === 'collector' && view.collectorId !== asker.actorId) throw notTheirs(`Case ${view.caseId} is not assigned to you`, 'caseId');
      return view;
    },
    CaseAssignment: (params) => queries.caseAssignment(onlyCaseId(params)),
  };
}

function required(value: unknown, field: string, what: string): unknown {
  if (value === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} is required: ${what}`, { field });
  return value;
}

function onlyCaseId(params: Params): string {
  const extra = Object.keys(params).find((key) => key !== 'caseId');
  if (extra !== undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${extra} is not a parameter here`, { field: extra });
  return required(params['caseId'], 'caseId', 'the case (its account id)') as string;
}

/** A collector may ask only about the cases they hold (their own when they name no one); anyone else about any collector's. */
function ownCollector(collectorId: unknown, asker: QueryAsker): string {
  if (asker.actorRole !== 'collector') return collectorId as string;
  if (collectorId !== undefined && collectorId !== asker.actorId) throw notTheirs(`A collector sees only their own cases: ask with collectorId ${asker.actorId}`, 'collectorId');
  return asker.actorId;
}

function notTheirs(message: string, field: string): ArrearsError {
  return new ArrearsError(ErrorCode.FORBIDDEN, message, { field });
}

function itemCursor(after: unknown): { after?: ItemKey } {
  if (after === undefined) return {};
  const [caseId, entry, item, ...rest] = typeof after === 'string' ? after.split('/') : [];
  const key = ItemKeySchema.safeParse({ caseId, entry: Number(entry), item });
  if (!key.success || rest.length > 0) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, "after must be the previous page's nextAfter: <caseId>/<entry>/<item>", { field: 'after' });
  }
  return { after: key.data };
}

function itemPage<Row extends ChecklistItemView>(page: Page<Row, ItemKey>): Page<Row, string> {
  return { rows: page.rows, nextAfter: page.nextAfter === null ? null : `${page.nextAfter.caseId}/${page.nextAfter.entry}/${page.nextAfter.item}` };
}
