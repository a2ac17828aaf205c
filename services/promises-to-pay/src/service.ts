import 'reflect-metadata';
import type { KeyObject } from 'node:crypto';
import { CommandCatalog, DEFAULT_TOPOLOGY, promisesToPay, type Topology } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores } from '@arrears/platform';
import { openServiceTimers, type PostgresTimerStore, type TimerPoller } from '@arrears/timers';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { PromisePolicy } from './promise/domain/policy';
import { PromiseCommands } from './promise/promise-commands';
import { PROMISE_DUE, PROMISE_TIMER_OWNER } from './promise/promise-timers';
import { promisesModule } from './promises.module';
import { openPromiseReadModels, PromiseQueries, PromisesProjection } from './read-models';

export const PROMISES_SERVICE = 'promises-to-pay' as const;

export interface PromisesServiceOptions {
  readonly databaseUrl: string;
  readonly storeSchema?: string;
  readonly keySchema?: string;
  /** The read models; default `promises_read`. */
  readonly readSchema?: string;
  /** The durable timers; default `arrears_timers`. */
  readonly timerSchema?: string;
  readonly masterKey: KeyObject | Uint8Array;
  readonly policy: PromisePolicy;
  readonly topology?: Topology;
  readonly nats?: NatsConnection;
  readonly logger?: LoggerService | false;
  /** The timers' clock (tests); default the real one. */
  readonly clock?: () => Date;
  /** How often the timer poller looks for due timers; default 1000 ms. */
  readonly timerPollIntervalMs?: number;
}

export interface PromisesService {
  readonly app: INestMicroservice;
  readonly commands: PromiseCommands;
  readonly queries: PromiseQueries;
  readonly timers: PostgresTimerStore;
  readonly poller: TimerPoller;
  close(): Promise<void>;
}

/** Opens the stores (migrating each), then takes commands, follows payments, fires break timers and projects. */
export async function startPromisesService(options: PromisesServiceOptions): Promise<PromisesService> {
  const closers = new Closers();
  try {
    const { store } = await openPlatformStores({ ...options, applicationName: 'arrears-promises-to-pay' }, closers);
    const dataSource = await openPromiseReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    closers.add(() => dataSource.destroy());
    const projection = new PromisesProjection({ dataSource, consumer: `${PROMISES_SERVICE}__read-models` });
    const commands = new PromiseCommands(store, options.policy);
    const timers = await openServiceTimers({
      databaseUrl: options.databaseUrl,
      owner: PROMISE_TIMER_OWNER,
      ...(options.timerSchema ? { schema: options.timerSchema } : {}),
      handler: async (timer) => {
        if (timer.kind !== PROMISE_DUE) return;
        const { accountId, promiseId } = timer.payload as { accountId: string; promiseId: string };
        await commands.checkDue(timer.timerId, accountId, promiseId, timer.firedAt);
      },
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timerPollIntervalMs === undefined ? {} : { pollIntervalMs: options.timerPollIntervalMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    closers.add(() => timers.close());
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const app = await listenAsMicroservice(
      promisesModule({ topology, commands, projection, timers: timers.store }),
      {
        service: PROMISES_SERVICE,
        topology,
        commands: new CommandCatalog(promisesToPay.PROMISE_COMMANDS),
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
      },
      closers,
    );
    timers.poller.start();
    return { app, commands, queries: new PromiseQueries(dataSource), timers: timers.store, poller: timers.poller, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
