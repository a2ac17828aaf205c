import {
  ArrearsError,
  CommandEnvelopeSchema,
  ErrorCode,
  isArrearsError,
  validationFailed,
  type CommandCatalog,
  type CommandEnvelope,
  type CommandReply,
  type ErrorBody,
  type Topology,
} from '@arrears/contracts';
import { contextFromHeaders, currentTraceContext, secondsSince } from '@arrears/observability';
import type { LoggerService } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { CommandContext } from '../consumers/contexts';
import { messagingTracer } from '../consumers/tracing';
import { commandMetrics } from './command-metrics';

export interface CommandServerOptions {
  readonly service: string;
  readonly topology: Topology;
  /** Validates each command's data and schema version, beyond the envelope. */
  readonly catalog?: CommandCatalog;
  readonly logger: LoggerService;
}

/** Calls the Nest handler of a subject and resolves with what it returned (its observable's last value). */
export type CommandInvoker = (subject: string, command: CommandEnvelope, context: CommandContext) => Promise<unknown>;


/**
 * Serves `@MessagePattern('<root>.cmd.<service>.<Command>')` handlers over core NATS request-reply. Instances of a
 * service share the queue group named after it, so each command is handled by one of them. The request is the
 * command envelope as JSON, validated before any handler runs; the reply is always a `CommandReply`.
 */
export class CommandServer {
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: CommandServerOptions,
    private readonly invoke: CommandInvoker,
  ) {}

  start(subjects: readonly string[]): void {
    for (const subject of subjects) {
      this.checkSubject(subject);
      const subscription = this.nc.subscribe(subject, {
        queue: this.options.service,
        callback: (error, msg) => {
          if (error !== null) {
            this.options.logger.error?.(`${subject}: ${error.message}`, 'JetStreamTransport');
            return;
          }
          this.track(this.answer(subject, msg));
        },
      });
      this.subscriptions.push(subscription);
    }
  }

  /** Stops taking commands (requests already received are still answered) and waits for the running ones. */
  async stop(timeoutMs: number): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((subscription) => subscription.drain().catch(() => undefined)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async answer(subject: string, msg: Msg): Promise<void> {
    const started = performance.now();
    const parent = contextFromHeaders((name) => msg.headers?.get(name));
    const reply = await messagingTracer().startActiveSpan(`process ${subject}`, { kind: SpanKind.SERVER, attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject } }, parent, async (span) => {
      try {
        const command = this.parse(subject, msg);
        span.setAttribute('arrears.command.id', command.commandId);
        const result = await this.invoke(subject, withServerTrace(command), new CommandContext([msg, { service: this.options.service }]));
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
    commandMetrics().duration.record(secondsSince(started), {
      service: this.options.service,
      command: subject.slice(subject.lastIndexOf('.') + 1),
      outcome: reply.ok ? 'ok' : reply.error.code,
    });
  }

  private parse(subject: string, msg: Msg): CommandEnvelope {
    let input: unknown;
    try {
      input = JSON.parse(msg.string());
    } catch {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'The command is not JSON: send the command envelope as a JSON object');
    }
    const command = this.options.catalog === undefined ? envelope(input) : this.options.catalog.parse(input);
    const expected = subject.slice(subject.lastIndexOf('.') + 1);
    if (command.type !== expected) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A ${command.type} command was sent to ${subject}, which takes ${expected}`, { field: 'type' });
    }
    return command;
  }

  private errorBody(subject: string, error: unknown): ErrorBody {
    if (isArrearsError(error)) return error.toJSON();
    // Anything else is a bug or an outage on this side: log it whole, tell the caller only that it happened.
    this.options.logger.error?.(`${subject}: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}`, 'JetStreamTransport');
    return { code: ErrorCode.INTERNAL, message: `${this.options.service} failed to handle the command; the cause is in its log` };
  }

  private respond(subject: string, msg: Msg, reply: CommandReply): void {
    let body: string;
    try {
      body = JSON.stringify(reply);
    } catch (error) {
      body = JSON.stringify({ ok: false, error: this.errorBody(subject, error) } satisfies CommandReply);
    }
    if (!msg.respond(body)) this.options.logger.warn?.(`${subject}: a command arrived without a reply subject; nobody hears the outcome`, 'JetStreamTransport');
  }

  private checkSubject(subject: string): void {
    const prefix = `${this.options.topology.commandPrefix}.${this.options.service}.`;
    const command = subject.slice(prefix.length);
    if (!subject.startsWith(prefix) || !/^[A-Z][A-Za-z0-9]*$/.test(command)) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `@MessagePattern('${subject}') must be ${prefix}<Command> (one PascalCase command, no wildcards)`, { field: 'pattern' });
    }
  }
}

function envelope(input: unknown): CommandEnvelope {
  const parsed = CommandEnvelopeSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(parsed.error);
  return parsed.data as CommandEnvelope;
}

/**
 * The handler sees the server span as the command's trace, so the events it writes carry it and the trace runs on
 * through the store, the relay and every consumer. Without a tracer installed the command keeps what it carried.
 */
function withServerTrace(command: CommandEnvelope): CommandEnvelope {
  const current = currentTraceContext();
  return current === undefined ? command : { ...command, metadata: { ...command.metadata, trace: current } };
}
