import 'reflect-metadata';
import { CommandCatalog, DEFAULT_TOPOLOGY, paymentPlans } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type TimedServiceOptions } from '@arrears/platform';
import { openServiceTimers, type PostgresTimerStore, type TimerPoller } from '@arrears/timers';
import type { INestMicroservice } from '@nestjs/common';
import type { PlanPolicy } from './plan/domain/policy';
import { PlanCommands } from './plan/plan-commands';
import { INSTALMENT_CHECK, PLAN_TIMER_OWNER, type InstalmentCheckPayload } from './plan/plan-timers';
import { plansModule } from './plans.module';
import { openPlanReadModels, PlanQueries, planQueryHandlers, PlansProjection } from './read-models';

export const PLANS_SERVICE = 'payment-plans' as const;

export interface PlansServiceOptions extends TimedServiceOptions {
  /** `readSchema` defaults to `plans_read`. */
  readonly policy: PlanPolicy;
}

export interface PlansService {
  readonly app: INestMicroservice;
  readonly commands: PlanCommands;
  readonly queries: PlanQueries;
  readonly timers: PostgresTimerStore;
  readonly poller: TimerPoller;
  close(): Promise<void>;
}

/** Opens the stores (migrating each), then takes commands, follows payments, fires instalment timers and projects. */
export async function startPlansService(options: PlansServiceOptions): Promise<PlansService> {
  const closers = new Closers();
  try {
    const { store } = await openPlatformStores({ ...options, applicationName: 'arrears-payment-plans' }, closers);
    const dataSource = await openPlanReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    closers.add(() => dataSource.destroy());
    const projection = new PlansProjection({ dataSource, consumer: `${PLANS_SERVICE}__read-models` });
    const commands = new PlanCommands(store, options.policy);
    const queries = new PlanQueries(dataSource);
    const timers = await openServiceTimers({
      databaseUrl: options.databaseUrl,
      owner: PLAN_TIMER_OWNER,
      ...(options.timerSchema ? { schema: options.timerSchema } : {}),
      handler: async (timer) => {
        if (timer.kind !== INSTALMENT_CHECK) return;
        const { accountId, planId, number } = timer.payload as unknown as InstalmentCheckPayload;
        await commands.checkInstalment(timer.timerId, accountId, planId, number, timer.firedAt);
      },
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timerPollIntervalMs === undefined ? {} : { pollIntervalMs: options.timerPollIntervalMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    closers.add(() => timers.close());
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const app = await listenAsMicroservice(
      plansModule({ topology, commands, projection, timers: timers.store }),
      {
        service: PLANS_SERVICE,
        topology,
        commands: new CommandCatalog(paymentPlans.PLAN_COMMANDS),
        queries: planQueryHandlers(queries),
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
