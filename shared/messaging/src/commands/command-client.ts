import { randomUUID } from 'node:crypto';
import {
  CommandEnvelopeSchema,
  DEFAULT_TOPOLOGY,
  commandSubject,
  validationFailed,
  type CommandCatalog,
  type CommandEnvelope,
  type ServiceName,
  type Topology,
} from '@arrears/contracts';
import { currentTraceContext, injectTraceHeaders } from '@arrears/observability';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { messagingTracer } from '../consumers/tracing';
import { headers as natsHeaders, type Msg, type NatsConnection } from 'nats';
import { requestFailure, unwrapReply } from './reply';

/** A command as a caller writes it: the id and schema version may be left out and are filled in. */
export type CommandInput = Omit<CommandEnvelope, 'commandId' | 'schemaVersion'> & {
  readonly commandId?: string;
  readonly schemaVersion?: number;
};

export interface CommandClientOptions {
  readonly connection: NatsConnection;
  readonly topology?: Topology;
  /** Each service's commands: a command to a service listed here is validated before it is sent. */
  readonly catalogs?: Partial<Record<ServiceName, CommandCatalog>>;
  /** How long `send` waits for a reply unless told otherwise; default 5 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;


/**
 * Sends commands to the owning service over NATS request-reply and returns its result, or throws the
 * ArrearsError it replied with. Usable with or without Nest.
 *
 * Retrying is safe only with the same command id: `prepare` once, then `send` the prepared command as often as
 * needed. A TIMEOUT does not say whether the command was handled; its `details.commandId` is the id to retry with.
 */
export class CommandClient {
  private readonly topology: Topology;
  private readonly timeoutMs: number;

  constructor(private readonly options: CommandClientOptions) {
    this.topology = options.topology ?? DEFAULT_TOPOLOGY;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  }

  /** The complete, validated command: a new command id unless one was given. Throws VALIDATION_FAILED naming the field. */
  prepare(service: ServiceName, input: CommandInput | CommandEnvelope): CommandEnvelope {
    const catalog = this.options.catalogs?.[service];
    const schemaVersion = input.schemaVersion ?? catalog?.definitions.find((definition) => definition.type === input.type)?.version ?? 1;
    const candidate = { ...input, commandId: input.commandId ?? randomUUID(), schemaVersion };
    if (catalog !== undefined) return catalog.parse(candidate);
    const parsed = CommandEnvelopeSchema.safeParse(candidate);
    if (!parsed.success) throw validationFailed(parsed.error);
    return parsed.data as CommandEnvelope;
  }

  /**
   * Validates, sends and waits for the reply. Throws the service's ArrearsError; TIMEOUT when no reply came in
   * time; UNAVAILABLE when no instance of the service is listening.
   */
  async send<Result = unknown>(service: ServiceName, input: CommandInput | CommandEnvelope, options: { readonly timeoutMs?: number } = {}): Promise<Result> {
    const command = this.prepare(service, input);
    const subject = commandSubject(service, command.type, this.topology);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'arrears.command.id': command.commandId };
    return messagingTracer().startActiveSpan(`send ${subject}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        return (await this.request(service, subject, withClientTrace(command), timeoutMs)) as Result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  private async request(service: ServiceName, subject: string, command: CommandEnvelope, timeoutMs: number): Promise<unknown> {
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(injectTraceHeaders({}))) headers.set(name, value);
    let reply: Msg;
    try {
      reply = await this.options.connection.request(subject, JSON.stringify(command), { timeout: timeoutMs, headers });
    } catch (error) {
      throw requestFailure(error, { service, subject, commandId: command.commandId, timeoutMs });
    }
    return unwrapReply(reply, subject);
  }
}

/** The CLIENT span's context goes into the command itself, for the handler's events to carry. */
function withClientTrace(command: CommandEnvelope): CommandEnvelope {
  const current = currentTraceContext();
  return current === undefined ? command : { ...command, metadata: { ...command.metadata, trace: current } };
}
