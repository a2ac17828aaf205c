import { ArrearsError, DEFAULT_TOPOLOGY, ErrorCode, type CommandCatalog, replaySubject, type CommandEnvelope, type EventEnvelope, type ServiceName, type Topology } from '@arrears/contracts';
import { Logger, type LoggerService } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { Events, type ConnectionOptions, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { lastValueFrom } from 'rxjs';
import { CommandServer } from '../commands/command-server';
import { ensureStreams, type EventStreamSettings } from '../jetstream-setup';
import { connectNats } from '../nats-connection';
import type { CommandContext, JetStreamContext } from './contexts';
import { ensureDurableConsumer, isConsumerNotFound, UNORDERED_MAX_ACK_PENDING, type DurableConsumerSpec } from './durable-consumer';
import { DEFAULT_CONSUMER_INFO_MAX_AGE_MS, observeConsumerLag, type ObservedConsumer } from './consumer-metrics';
import { handleDelivery } from './event-delivery';
import { DEFAULT_CONSUMER_SETTINGS, resolveHandler, type ConsumerSettings, type EventHandlerOptions, type HandlerSpec } from './handler-options';
import { errorMessage, PullLoop } from './pull-loop';

export interface JetStreamTransportOptions {
  readonly service: ServiceName;
  /** Default: production's (`arrears`); a test passes its own. */
  readonly topology?: Topology;
  /** A connection the caller owns (and closes), or how to open one the transport owns (default `NATS_URL`). */
  readonly connection?: NatsConnection;
  readonly servers?: string | string[];
  readonly connectionOptions?: Partial<ConnectionOptions>;
  /** Defaults for every handler; each can override them in its `@EventPattern` extras. */
  readonly consumer?: Partial<ConsumerSettings>;
  /** The service's commands: each request's data and schema version are validated against it. */
  readonly commands?: CommandCatalog;
  /** How long `close()` waits for running handlers; default 10 s. */
  readonly drainTimeoutMs?: number;
  /** Settings for creating the event and dead-letter streams when they are missing; `false` never creates them. */
  readonly streams?: EventStreamSettings | false;
  readonly clock?: () => Date;
  readonly logger?: LoggerService;
  /** How stale the consumer lag on `/metrics` may be: JetStream is asked about each consumer at most this often; default 5 s. */
  readonly consumerInfoMaxAgeMs?: number;
}

export type JetStreamTransportStatus = 'connected' | 'disconnected' | 'closed';

type JetStreamTransportEvents = {
  disconnect: (server: string) => void;
  reconnect: (server: string) => void;
  error: (error: unknown) => void;
};

interface RegisteredEventHandler {
  readonly pattern: string;
  readonly callback: MessageHandler;
  readonly options: EventHandlerOptions;
}

export const JETSTREAM_TRANSPORT = Symbol('ARREARS_JETSTREAM');

export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * One NestJS microservice strategy for a service's messaging: `@EventPattern` handlers read durable JetStream
 * pull consumers, `@MessagePattern` handlers answer commands over request-reply. docs/consuming.md is the guide.
 */
export class JetStreamTransport extends Server<JetStreamTransportEvents, JetStreamTransportStatus> implements CustomTransportStrategy {
  override readonly transportId = JETSTREAM_TRANSPORT;
  protected override readonly logger: LoggerService;
  private readonly topology: Topology;
  private readonly defaults: ConsumerSettings;
  private readonly eventHandlers: RegisteredEventHandler[] = [];
  private readonly listeners = new Map<keyof JetStreamTransportEvents, ((...args: never[]) => void)[]>();
  private readonly loops: PullLoop[] = [];
  private connection: NatsConnection | undefined;
  private commandServer: CommandServer | undefined;
  private unobserveLag: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: JetStreamTransportOptions) {
    super();
    this.topology = options.topology ?? DEFAULT_TOPOLOGY;
    this.defaults = { ...DEFAULT_CONSUMER_SETTINGS, ...options.consumer };
    this.logger = options.logger ?? new Logger(JetStreamTransport.name);
  }

  /**
   * Event handlers are kept apart, one consumer each: Nest's default would chain two handlers of one pattern
   * into one callback, so one handler's failure would retry (and repeat) the other.
   */
  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler = false, extras: Record<string, unknown> = {}): void {
    if (!isEventHandler) return super.addHandler(pattern, callback, false, extras);
    callback.isEventHandler = true;
    callback.extras = extras;
    this.eventHandlers.push({ pattern: this.normalizePattern(pattern as string), callback, options: extras as EventHandlerOptions });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
    } catch (error) {
      await this.close().catch(() => undefined);
      callback(error);
      return;
    }
    callback();
  }

  /**
   * Drains: stops pulling and taking commands, waits (up to the drain timeout) for running handlers to finish
   * and acknowledge, then drains the connection if the transport opened it. Events not started are redelivered.
   */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  on<EventKey extends keyof JetStreamTransportEvents>(event: EventKey, callback: JetStreamTransportEvents[EventKey]): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), callback as (...args: never[]) => void]);
  }

  unwrap<T>(): T {
    if (this.connection === undefined) throw new Error('The JetStream transport is not listening yet: there is no connection to unwrap');
    return this.connection as T;
  }

  private async start(): Promise<void> {
    const { service } = this.options;
    const nc = this.options.connection ?? (await connectNats(service, { ...(this.options.servers === undefined ? {} : { servers: this.options.servers }), ...this.options.connectionOptions }));
    this.connection = nc;
    this.watchStatus(nc);
    const jsm = await nc.jetstreamManager();
    const js = nc.jetstream();
    await this.ensureStreams(jsm);
    const specs = this.resolveHandlers();
    const observed: ObservedConsumer[] = [];
    for (const { spec, handler } of specs) {
      for (const consumer of [mainConsumer(spec, this.topology), replayConsumer(spec, this.topology)]) {
        await ensureDurableConsumer(jsm, consumer.durable);
        this.loops.push(this.pullLoop(js, jsm, spec, consumer, handler));
        observed.push(consumer.durable);
      }
    }
    this.loops.forEach((loop) => loop.start());
    if (observed.length > 0) {
      this.unobserveLag = observeConsumerLag((stream, durable) => jsm.consumers.info(stream, durable), service, observed, this.options.consumerInfoMaxAgeMs ?? DEFAULT_CONSUMER_INFO_MAX_AGE_MS);
    }
    this.commandServer = new CommandServer(nc, { service, topology: this.topology, logger: this.logger, ...(this.options.commands === undefined ? {} : { catalog: this.options.commands }) }, (subject, command, context) =>
      this.invokeCommand(subject, command, context),
    );
    this.commandServer.start([...this.messageHandlers.keys()]);
    this._status$.next('connected');
  }

  private resolveHandlers(): { spec: HandlerSpec; handler: RegisteredEventHandler }[] {
    const byDurable = new Map<string, string>();
    return this.eventHandlers.map((handler) => {
      const spec = resolveHandler(this.options.service, handler.pattern, handler.options, this.defaults, this.topology);
      const other = byDurable.get(spec.durable);
      if (other !== undefined) {
        throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Two handlers (${other} and ${handler.pattern}) are both named "${spec.name}": give each its own name in the @EventPattern extras`, {
          field: 'name',
        });
      }
      byDurable.set(spec.durable, handler.pattern);
      return { spec, handler };
    });
  }

  private pullLoop(js: JetStreamClient, jsm: JetStreamManager, spec: HandlerSpec, consumer: ConsumerRole, handler: RegisteredEventHandler): PullLoop {
    const route = {
      spec,
      topology: this.topology,
      js,
      replay: consumer.replay,
      invoke: (event: EventEnvelope, context: JetStreamContext) => this.invokeEvent(handler.callback, event, context),
      logger: this.logger,
      clock: this.options.clock ?? (() => new Date()),
    };
    return new PullLoop(js, {
      stream: consumer.durable.stream,
      durable: consumer.durable.durable,
      concurrency: spec.settings.concurrency,
      fetchExpiresMs: spec.settings.fetchExpiresMs,
      handle: (msg) => handleDelivery(msg, route),
      // A consumer (or its stream) deleted from under us comes back as it was declared.
      recover: async (error) => {
        if (!isConsumerNotFound(error) && !/stream not found/i.test(errorMessage(error))) return;
        await this.ensureStreams(jsm);
        await ensureDurableConsumer(jsm, consumer.durable);
      },
      logger: this.logger,
    });
  }

  /** Runs a Nest handler as Nest's own transports do (processing hooks included) and waits for all its work. */
  private invokeEvent(callback: MessageHandler, event: EventEnvelope, context: JetStreamContext): Promise<unknown> {
    return new Promise((resolve, reject) => {
      void this.onProcessingStartHook(this.transportId, context, async () => {
        try {
          resolve(await lastValueFrom(this.transformToObservable(await callback(event, context)), { defaultValue: undefined }));
        } catch (error) {
          reject(error);
        } finally {
          this.onProcessingEndHook?.(this.transportId, context);
        }
      });
    });
  }

  private async invokeCommand(subject: string, command: CommandEnvelope, context: CommandContext): Promise<unknown> {
    const handler = this.messageHandlers.get(subject);
    if (handler === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `No handler for ${subject}`);
    return lastValueFrom(this.transformToObservable(await handler(command, context)), { defaultValue: undefined });
  }

  private async ensureStreams(jsm: JetStreamManager): Promise<void> {
    if (this.options.streams === false) return;
    const { eventsStream, deadLetterStream } = this.topology;
    const present = await Promise.all([eventsStream, deadLetterStream].map((name) => jsm.streams.info(name).then(() => true, () => false)));
    // Only when missing: settings are the relay's (or the operator's) to choose, not every consumer's.
    if (present.every(Boolean)) return;
    await ensureStreams(jsm, this.topology, this.options.streams ?? {});
  }

  private watchStatus(nc: NatsConnection): void {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === Events.Disconnect) {
          this._status$.next('disconnected');
          this.emit('disconnect', String(status.data));
        } else if (status.type === Events.Reconnect) {
          this._status$.next('connected');
          this.emit('reconnect', String(status.data));
        } else if (status.type === Events.Error) {
          this.emit('error', status.data);
        }
      }
    })().catch((error: unknown) => this.logger.error?.(`status watcher: ${errorMessage(error)}`, JetStreamTransport.name));
  }

  private emit<EventKey extends keyof JetStreamTransportEvents>(event: EventKey, ...args: Parameters<JetStreamTransportEvents[EventKey]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...values: unknown[]) => void)(...args);
  }

  private async drain(): Promise<void> {
    this.unobserveLag?.();
    this.unobserveLag = undefined;
    const timeoutMs = this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    const [, ...drained] = await Promise.all([this.commandServer?.stop(timeoutMs), ...this.loops.map((loop) => loop.stop(timeoutMs))]);
    if (drained.some((done) => !done)) {
      this.logger.warn?.(`Handlers still running after ${timeoutMs} ms were left; JetStream redelivers their events`, JetStreamTransport.name);
    }
    const nc = this.connection;
    if (nc !== undefined && !nc.isClosed()) {
      if (this.options.connection === undefined) await nc.drain();
      else await nc.flush();
    }
    this._status$.next('closed');
  }
}

interface ConsumerRole {
  readonly durable: DurableConsumerSpec;
  readonly replay: boolean;
}

function mainConsumer(spec: HandlerSpec, topology: Topology): ConsumerRole {
  return {
    replay: false,
    durable: {
      stream: topology.eventsStream,
      durable: spec.durable,
      filterSubject: spec.filterSubject,
      ackWaitMs: spec.settings.ackWaitMs,
      maxAckPending: spec.ordered ? 1 : UNORDERED_MAX_ACK_PENDING,
      deliverFrom: spec.deliverFrom,
      description: `${spec.service}: ${spec.name}`,
    },
  };
}

/** Replayed dead letters start from the first: the subject only ever holds what an operator sent back. */
function replayConsumer(spec: HandlerSpec, topology: Topology): ConsumerRole {
  return {
    replay: true,
    durable: {
      stream: topology.deadLetterStream,
      durable: spec.replayDurable,
      filterSubject: replaySubject(topology, spec.service, spec.name),
      ackWaitMs: spec.settings.ackWaitMs,
      maxAckPending: spec.ordered ? 1 : UNORDERED_MAX_ACK_PENDING,
      deliverFrom: 'all',
      description: `${spec.service}: ${spec.name} (replayed dead letters)`,
    },
  };
}
