import { randomUUID } from 'node:crypto';
import { DEFAULT_TOPOLOGY, querySubject, type QueryEnvelope, type ServiceName, type Topology } from '@arrears/contracts';
import { currentTraceContext, injectTraceHeaders } from '@arrears/observability';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { headers as natsHeaders, type Msg, type NatsConnection } from 'nats';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../commands/command-client';
import { requestFailure, unwrapReply } from '../commands/reply';
import { messagingTracer } from '../consumers/tracing';
import type { QueryAsker } from './query-server';

export interface QueryClientOptions {
  readonly connection: NatsConnection;
  readonly topology?: Topology;
  /** How long `ask` waits for an answer unless told otherwise; default 5 s. */
  readonly timeoutMs?: number;
}

/** Asks the owning service a query and returns its answer, or throws the ArrearsError it replied with (TIMEOUT, UNAVAILABLE when nobody answers). */
export class QueryClient {
  private readonly topology: Topology;

  constructor(private readonly options: QueryClientOptions) {
    this.topology = options.topology ?? DEFAULT_TOPOLOGY;
  }

  async ask<Result = unknown>(service: ServiceName, type: string, params: Readonly<Record<string, unknown>>, asker: QueryAsker, options: { readonly timeoutMs?: number } = {}): Promise<Result> {
    const subject = querySubject(service, type, this.topology);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    return messagingTracer().startActiveSpan(`send ${subject}`, { kind: SpanKind.CLIENT, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } }, async (span) => {
      try {
        const trace = currentTraceContext();
        const query: QueryEnvelope = { queryId: randomUUID(), type, params: { ...params }, ...asker, ...(trace === undefined ? {} : { trace }) };
        const headers = natsHeaders();
        for (const [name, value] of Object.entries(injectTraceHeaders({}))) headers.set(name, value);
        let reply: Msg;
        try {
          reply = await this.options.connection.request(subject, JSON.stringify(query), { timeout: timeoutMs, headers });
        } catch (error) {
          throw requestFailure(error, { service, subject, timeoutMs });
        }
        return unwrapReply(reply, subject) as Result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}
