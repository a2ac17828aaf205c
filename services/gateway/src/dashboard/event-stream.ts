import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, EventHeader, type Role, type Topology } from '@arrears/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NatsConnection, Subscription } from 'nats';
import type { Operator } from '../auth/operator';
import type { Tokens } from '../auth/tokens';
import { httpError } from '../http/errors';

export const EVENT_STREAM_PATH = '/api/events/stream';

/** The people who look at the dashboard; internal systems (system, dialer) subscribe to JetStream themselves. */
export const EVENT_STREAM_ROLES: readonly Role[] = ['collector', 'supervisor', 'admin', 'auditor', 'legal'];

/** What one server-sent event carries: which event happened to what, and when — never its data. */
export interface EventNotice {
  readonly type: string;
  readonly streamId: string;
  readonly caseId: string | null;
  readonly occurredAt: string | null;
}

export interface EventStreamDependencies {
  readonly nats: NatsConnection;
  readonly topology: Topology;
  readonly tokens: Tokens;
  /** Which collector works a case (case-workflow's `CaseAssignment`); null when unassigned or unknown. */
  readonly collectorOf: (caseId: string, asker: Operator) => Promise<string | null>;
  /** How long a collector's answer about a case is trusted before asking again; default 30 s. */
  readonly assignmentTtlMs?: number;
  /** Comment lines that keep proxies from closing an idle stream; default every 15 s. */
  readonly heartbeatMs?: number;
}

/**
 * `GET /api/events/stream`: server-sent events, one `event: arrears` per platform event, fed by a core NATS
 * subscription on `<root>.evt.>` (what the relay publishes to JetStream; nothing is acknowledged or kept). The token
 * comes as `Authorization: Bearer …` or, because a browser's EventSource cannot send headers, as `?access_token=`.
 * A collector receives only the events of cases assigned to them.
 */
export function registerEventStream(fastify: FastifyInstance, dependencies: EventStreamDependencies): void {
  // An open stream never ends by itself: end them all when the gateway closes, or closing would wait for the browsers.
  const open = new Set<() => void>();
  fastify.addHook('preClose', async () => {
    for (const end of open) end();
  });
  fastify.get(EVENT_STREAM_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, string | undefined>;
    let operator: Operator;
    try {
      const token = query['access_token'];
      operator = await dependencies.tokens.operatorOf(token === undefined ? request.headers.authorization : `Bearer ${token}`);
      if (!EVENT_STREAM_ROLES.includes(operator.role)) throw new ArrearsError(ErrorCode.FORBIDDEN, `The role ${operator.role} may not follow the event stream; it is for ${EVENT_STREAM_ROLES.join(', ')}`, { field: 'role' });
    } catch (error) {
      const answer = httpError(error, randomUUID());
      return reply.status(answer.status).type('application/json').send(answer.body);
    }
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ role: operator.role, operatorId: operator.operatorId })}\n\n`);
    const visible = visibility(operator, dependencies);
    const subscription: Subscription = dependencies.nats.subscribe(`${dependencies.topology.eventPrefix}.>`);
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), dependencies.heartbeatMs ?? 15_000);
    const stop = (): void => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      open.delete(end);
    };
    const end = (): void => {
      stop();
      // Ended, the connection would idle in keep-alive and hold the server's close for seconds: let it go.
      raw.end(() => raw.destroy());
    };
    open.add(end);
    raw.on('close', stop);
    void (async () => {
      for await (const message of subscription) {
        const header = message.headers;
        const notice: EventNotice = {
          type: header?.get(EventHeader.TYPE) || message.subject.split('.').pop() || 'unknown',
          streamId: header?.get(EventHeader.STREAM_ID) ?? '',
          caseId: header?.get(EventHeader.CASE_ID) || null,
          occurredAt: header?.get(EventHeader.OCCURRED_AT) || null,
        };
        if (!(await visible(notice))) continue;
        raw.write(`event: arrears\ndata: ${JSON.stringify(notice)}\n\n`);
      }
    })().catch(() => stop());
  });
}

/** Whether the operator may see a notice: everyone but a collector sees all; a collector only their cases' events. */
function visibility(operator: Operator, dependencies: EventStreamDependencies): (notice: EventNotice) => Promise<boolean> {
  if (operator.role !== 'collector') return async () => true;
  const ttl = dependencies.assignmentTtlMs ?? 30_000;
  const known = new Map<string, { mine: boolean; until: number }>();
  return async (notice) => {
    if (notice.caseId === null) return false;
    const cached = known.get(notice.caseId);
    if (cached !== undefined && cached.until > Date.now()) return cached.mine;
    let mine = false;
    try {
      mine = (await dependencies.collectorOf(notice.caseId, operator)) === operator.operatorId;
    } catch {
      // case-workflow did not answer: say nothing rather than something that may not be theirs
    }
    if (known.size > 10_000) known.clear();
    known.set(notice.caseId, { mine, until: Date.now() + ttl });
    return mine;
  };
}
