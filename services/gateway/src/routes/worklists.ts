import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { RouteRequest } from './route';

/**
 * The params of a worklist a collector reads only as their own (the promises they took, the plans they proposed):
 * the query string and path parameters, `shape`d, with `field` set to the collector's operator id. A collector asking
 * for someone else's is refused rather than quietly answered with their own; every other role asks for anyone's, or
 * everyone's.
 */
export function collectorsOwn(field: string, shape: (params: Record<string, unknown>) => Record<string, unknown> = (params) => params): (request: RouteRequest) => Record<string, unknown> {
  return (request) => {
    const params = shape({ ...request.query, ...request.params });
    if (request.operator.role !== 'collector') return params;
    const asked = params[field];
    if (asked !== undefined && asked !== request.operator.operatorId) {
      throw new ArrearsError(ErrorCode.FORBIDDEN, `A collector sees only their own worklist: leave ${field} out, or give your own operator id`, { field, details: { [field]: asked } });
    }
    return { ...params, [field]: request.operator.operatorId };
  };
}
