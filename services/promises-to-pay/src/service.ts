import 'reflect-metadata';
import { CommandCatalog, DEFAULT_TOPOLOGY, promisesToPay } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type TimedServiceOptions } from '@arrears/platform';
import { openServiceTimers, type PostgresTimerStore, type TimerPoller } from '@arrears/timers';
import type { INestMicroservice } from '@nestjs/common';
import type { PromisePolicy } from './promise/domain/policy';
import { PromiseCommands } from './promise/promise-commands';
import { PROMISE_DUE, PROMISE_TIMER_OWNER } from './promise/promise-timers';
import { promisesModule } from './promises.module';
import { openPromiseReadModels, PromiseQueries, promiseQueryHandlers, PromisesProjection } from './read-models';

export const PROMISES_SERVICE = 'promises-to-pay' as const;

export interface PromisesServiceOptions extends TimedServiceOptions {
  /** `readSchema` defaults to `promises_read`. */
  readonly policy: PromisePolicy;
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
    const queries = new PromiseQueries(dataSource);
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
        queries: promiseQueryHandlers(queries),
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      },
      closers,
    );
    timers.poller.start();
    return { app, commands, queries, timers: timers.store, poller: timers.poller, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
