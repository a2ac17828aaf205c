import {
  ArrearsError,
  ErrorCode,
  isArrearsError,
  QueryEnvelopeSchema,
  querySubject,
  validationFailed,
  type CommandReply,
  type ErrorBody,
  type QueryEnvelope,
  type ServiceName,
  type Topology,
} from '@arrears/contracts';
import { contextFromHeaders, secondsSince } from '@arrears/observability';
import type { LoggerService } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { messagingTracer } from '../consumers/tracing';
import { queryMetrics } from './query-metrics';

/** Who asks a query: the service may narrow the answer to what the role may see. */
export type QueryAsker = Pick<QueryEnvelope, 'actorId' | 'actorRole'>;

/** Answers one query from the service's read models; validates `params` itself, throwing VALIDATION_FAILED naming the field. */
export type QueryHandler = (params: Readonly<Record<string, unknown>>, asker: QueryAsker) => Promise<unknown>;

export interface QueryServerOptions {
  readonly connection: NatsConnection;
  readonly service: ServiceName;
  readonly topology: Topology;
  readonly handlers: Readonly<Record<string, QueryHandler>>;
  readonly logger?: LoggerService;
}

/**
 * Serves a service's queries on `<root>.qry.<service>.<Query>` over core NATS request-reply. Instances share the
 * queue group named after the service; the reply is always a `CommandReply`. Queries read, so nothing is retried
 * or de-duplicated here.
 */
export class QueryServer {
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: QueryServerOptions) {}

  start(): void {
    for (const [type, handler] of Object.entries(this.options.handlers)) {
      const subject = querySubject(this.options.service, type, this.options.topology);
      const subscription = this.options.connection.subscribe(subject, {
        queue: this.options.service,
        callback: (error, msg) => {
          if (error !== null) {
            this.options.logger?.error?.(`${subject}: ${error.message}`, 'QueryServer');
            return;
          }
          const work = this.answer(subject, type, handler, msg);
          this.inFlight.add(work);
          void work.finally(() => this.inFlight.delete(work));
        },
      });
      this.subscriptions.push(subscription);
    }
  }

  /** Stops taking queries and waits (up to `timeoutMs`) for those being answered. */
  async stop(timeoutMs = 5_000): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.drain().catch(() => undefined)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private async answer(subject: string, type: string, handler: QueryHandler, msg: Msg): Promise<void> {
    const started = performance.now();
    const parent = contextFromHeaders((name) => msg.headers?.get(name));
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject };
    const reply = await messagingTracer().startActiveSpan(`process ${subject}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
      try {
        const query = parseQuery(msg, type);
        const result = await handler(query.params, { actorId: query.actorId, actorRole: query.actorRole });
        return { ok: true, result: result ?? null } satisfies CommandReply;
      } catch (error) {
        const body = this.errorBody(subject, error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: body.message });
        return { ok: false, error: body } satisfies CommandReply;
      } finally {
        span.end();
      }
    });
    this.respond(subject, msg, reply);
    queryMetrics().duration.record(secondsSince(started), { service: this.options.service, query: type, outcome: reply.ok ? 'ok' : reply.error.code });
  }

  /** An answer NATS cannot carry (over the server's max_payload) is replaced by an error naming that, never left unanswered. */
  private respond(subject: string, msg: Msg, reply: CommandReply): void {
    try {
      if (!msg.respond(JSON.stringify(reply))) this.options.logger?.warn?.(`${subject}: a query arrived without a reply subject`, 'QueryServer');
    } catch (error) {
      this.options.logger?.error?.(`${subject}: the answer could not be sent: ${error instanceof Error ? error.message : String(error)}`, 'QueryServer');
      const body: ErrorBody = { code: ErrorCode.VALIDATION_FAILED, message: `The answer to ${subject} is larger than a NATS message may be (${this.options.connection.info?.max_payload ?? 'max_payload'} bytes): ask for less (a smaller limit or period)` };
      try {
        msg.respond(JSON.stringify({ ok: false, error: body } satisfies CommandReply));
      } catch {
        // nothing more can be said; the asker times out
      }
    }
  }

  private errorBody(subject: string, error: unknown): ErrorBody {
    if (isArrearsError(error)) return error.toJSON();
    this.options.logger?.error?.(`${subject}: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}`, 'QueryServer');
    return { code: ErrorCode.INTERNAL, message: `${this.options.service} failed to answer the query; the cause is in its log` };
  }
}

function parseQuery(msg: Msg, type: string): QueryEnvelope {
  let input: unknown;
  try {
    input = JSON.parse(msg.string());
  } catch {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'The query is not JSON: send the query envelope as a JSON object');
  }
  const parsed = QueryEnvelopeSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error);
  if (parsed.data.type !== type) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A ${parsed.data.type} query was sent to the subject of ${type}`, { field: 'type' });
  return parsed.data;
}
