import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, EventHeader, type Role, type Topology } from '@arrears/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NatsConnection, Subscription } from 'nats';
import type { Operator } from '../auth/operator';
import type { Tokens } from '../auth/tokens';
import { httpError } from '../http/errors';

export const EVENT_STREAM_PATH = '/api/events/stream';
/** Where a dashboard gets a ticket to open the stream with (`POST`, bearer token in the header). */
export const EVENT_TICKET_PATH = '/api/events/tickets';
/** How long a ticket opens the stream: long enough to open it, short enough that a logged URL is soon worthless. */
export const TICKET_SECONDS = 60;

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
  /** Whether the case has been handed to legal (legal-escalation's `HandoffsStarted`). */
  readonly handedToLegal: (caseId: string, asker: Operator) => Promise<boolean>;
  /** How long an answer about a case (a collector's, legal's) is trusted before asking again; default 30 s. */
  readonly assignmentTtlMs?: number;
  /** Comment lines that keep proxies from closing an idle stream; default every 15 s. */
  readonly heartbeatMs?: number;
}

/**
 * `GET /api/events/stream`: server-sent events, one `event: arrears` per platform event, fed by a core NATS
 * subscription on `<root>.evt.>` (what the relay publishes to JetStream; nothing is acknowledged or kept). The caller
 * is named by `Authorization: Bearer …` or, because a browser's EventSource cannot send headers, by `?ticket=` — a
 * ticket from `POST /api/events/tickets` that opens the stream only and expires within a minute, so that no token
 * that works on the API is ever put in a URL (where proxies log it). A collector receives only the events of cases
 * assigned to them, the legal department only those of cases handed to it.
 */
export function registerEventStream(fastify: FastifyInstance, dependencies: EventStreamDependencies): void {
  // An open stream never ends by itself: end them all when the gateway closes, or closing would wait for the browsers.
  const open = new Set<() => void>();
  fastify.addHook('preClose', async () => {
    for (const end of open) end();
  });
  fastify.post(EVENT_TICKET_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const operator = await dependencies.tokens.operatorOf(request.headers.authorization);
      mayFollow(operator);
      const ticket = dependencies.tokens.streamTicket(operator, TICKET_SECONDS);
      const expiresAt = new Date(Date.now() + TICKET_SECONDS * 1000).toISOString();
      return reply.status(201).header('cache-control', 'no-store').type('application/json').send({ ticket, expiresAt, stream: `${EVENT_STREAM_PATH}?ticket=${ticket}` });
    } catch (error) {
      const answer = httpError(error, randomUUID());
      return reply.status(answer.status).type('application/json').send(answer.body);
    }
  });
  fastify.get(EVENT_STREAM_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, string | undefined>;
    let operator: Operator;
    try {
      if (query['access_token'] !== undefined) {
        throw new ArrearsError(ErrorCode.UNAUTHENTICATED, `A token is not taken in the URL: get a ticket from POST ${EVENT_TICKET_PATH} and open ${EVENT_STREAM_PATH}?ticket=<ticket>`, { field: 'access_token' });
      }
      const ticket = query['ticket'];
      operator = ticket === undefined ? await dependencies.tokens.operatorOf(request.headers.authorization) : await dependencies.tokens.operatorOfTicket(ticket);
      mayFollow(operator);
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

function mayFollow(operator: Operator): void {
  if (!EVENT_STREAM_ROLES.includes(operator.role)) throw new ArrearsError(ErrorCode.FORBIDDEN, `The role ${operator.role} may not follow the event stream; it is for ${EVENT_STREAM_ROLES.join(', ')}`, { field: 'role' });
}

/**
 * Whether the operator may see a notice: a collector only their cases' events, the legal department only those of
 * cases handed to it, everyone else all. Each answer about a case is kept a while; a service that does not answer
 * means nothing is shown rather than something that may not be theirs.
 */
function visibility(operator: Operator, dependencies: EventStreamDependencies): (notice: EventNotice) => Promise<boolean> {
  const ask =
    operator.role === 'collector'
      ? async (caseId: string) => (await dependencies.collectorOf(caseId, operator)) === operator.operatorId
      : operator.role === 'legal'
        ? (caseId: string) => dependencies.handedToLegal(caseId, operator)
        : undefined;
  if (ask === undefined) return async () => true;
  const ttl = dependencies.assignmentTtlMs ?? 30_000;
  const known = new Map<string, { mine: boolean; until: number }>();
  return async (notice) => {
    if (notice.caseId === null) return false;
    const cached = known.get(notice.caseId);
    if (cached !== undefined && cached.until > Date.now()) return cached.mine;
    let mine = false;
    try {
      mine = await ask(notice.caseId);
    } catch {
      // the service did not answer: say nothing rather than something that may not be theirs
    }
    if (known.size > 10_000) known.clear();
    known.set(notice.caseId, { mine, until: Date.now() + ttl });
    return mine;
  };
}
