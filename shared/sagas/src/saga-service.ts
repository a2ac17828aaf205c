import type { Topology } from '@arrears/contracts';
import type { DomainEvent, EventStore } from '@arrears/event-store';
import { CommandClient, connectNats } from '@arrears/messaging';
import { openServiceTimers, type ServiceTimers, type TimerLogger } from '@arrears/timers';
import type { NatsConnection } from 'nats';
import type { SagaDefinition } from './saga';
import { SagaRuntime } from './saga-runtime';

export interface SagaServiceOptions<State, Event extends DomainEvent> {
  readonly definition: SagaDefinition<State, Event>;
  readonly store: EventStore;
  readonly databaseUrl: string;
  readonly topology: Topology;
  /** A NATS connection the caller owns for the commands the saga sends; otherwise one of its own (`NATS_URL`). */
  readonly nats?: NatsConnection;
  /** How long a command the saga sends may wait for its reply before it is tried again. */
  readonly commandTimeoutMs: number;
  readonly timerSchema?: string;
  readonly clock?: () => Date;
  readonly timerPollIntervalMs?: number;
  readonly logger?: TimerLogger;
}

export interface SagaService<State, Event extends DomainEvent> {
  readonly runtime: SagaRuntime<State, Event>;
  readonly timers: ServiceTimers;
  /** Stops the poller, closes the timers' pool and the NATS connection it opened. */
  close(): Promise<void>;
}

/**
 * What a service running a saga opens alike: a command client over NATS, its durable timers (the poller firing
 * into the saga, not started: start it once the service takes the saga's inputs) and the runtime.
 */
export async function openSagaService<State, Event extends DomainEvent>(options: SagaServiceOptions<State, Event>): Promise<SagaService<State, Event>> {
  const own = options.nats === undefined ? await connectNats(`arrears-${options.definition.name} saga commands`) : undefined;
  const client = new CommandClient({ connection: (options.nats ?? own)!, topology: options.topology });
  try {
    const timers = await openServiceTimers({
      databaseUrl: options.databaseUrl,
      owner: options.definition.name,
      ...(options.timerSchema ? { schema: options.timerSchema } : {}),
      handler: async (timer) => void (await runtime.onTimer(timer)),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timerPollIntervalMs === undefined ? {} : { pollIntervalMs: options.timerPollIntervalMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const runtime: SagaRuntime<State, Event> = new SagaRuntime({
      definition: options.definition,
      store: options.store,
      timers: timers.store,
      send: (service, command) => client.send(service, command, { timeoutMs: options.commandTimeoutMs }),
    });
    return {
      runtime,
      timers,
      close: async () => {
        await timers.close();
        await own?.close();
      },
    };
  } catch (error) {
    await own?.close();
    throw error;
  }
}
