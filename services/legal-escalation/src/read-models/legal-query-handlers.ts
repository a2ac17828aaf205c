import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { QueryHandler } from '@arrears/messaging';
import { parseInput } from '@arrears/read-models';
import { z } from 'zod';
import type { EscalationPage, LegalQueries } from './legal-queries';
import { CaseIdSchema, EscalationKeySchema, HandoffNumberSchema, type EscalationKey, type EscalationListOptions, type HandoffTimesParams, type StatusCountFilter } from './query-params';

const EscalationParamsSchema = z.object({ caseId: CaseIdSchema, handoff: HandoffNumberSchema.optional() }).strict();
const CaseOnlySchema = z.object({ caseId: CaseIdSchema }).strict();

/**
 * The read models as NATS queries (`<root>.qry.legal-escalation.<Query>`), for the gateway and internal systems. Each
 * validates its params (VALIDATION_FAILED naming the field). The list's cursor travels as one string,
 * `<caseId>/<handoff>`, so that it fits in a query string.
 */
export function legalQueryHandlers(queries: LegalQueries): Record<string, QueryHandler> {
  return {
    EscalationStatusCounts: (params) => queries.statusCounts(params as StatusCountFilter),
    Escalations: async ({ asOf, after, ...options }) => {
      const page = await queries.escalations(asOf as string, { ...(options as EscalationListOptions), ...escalationCursor(after) });
      return { ...page, nextAfter: page.nextAfter === null ? null : `${page.nextAfter.caseId}/${page.nextAfter.handoff}` } satisfies Omit<EscalationPage, 'nextAfter'> & { nextAfter: string | null };
    },
    Escalation: async (params) => {
      const { caseId, handoff } = parseInput(EscalationParamsSchema, params);
      return queries.escalation(caseId, handoff);
    },
    HandoffTimes: (params) => queries.handoffTimes(params as HandoffTimesParams),
    HandoffsStarted: (params) => queries.handoffsStarted(parseInput(CaseOnlySchema, params).caseId),
  };
}

function escalationCursor(after: unknown): { after?: EscalationKey } {
  if (after === undefined) return {};
  const [caseId, handoff, ...rest] = typeof after === 'string' ? after.split('/') : [];
  const key = EscalationKeySchema.safeParse({ caseId, handoff: Number(handoff) });
  if (!key.success || rest.length > 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, "after must be the previous page's nextAfter: <caseId>/<handoff>", { field: 'after' });
  return { after: key.data };
}
