import 'reflect-metadata';
import { caseWorkflow, CommandCatalog, DEFAULT_TOPOLOGY } from '@arrears/contracts';
import { CommandClient, connectNats } from '@arrears/messaging';
import { Closers, listenAsMicroservice, openPlatformStores, type TimedServiceOptions } from '@arrears/platform';
import { SagaRuntime } from '@arrears/sagas';
import { openServiceTimers, type PostgresTimerStore, type TimerPoller } from '@arrears/timers';
import type { INestMicroservice } from '@nestjs/common';
import { caseSaga } from './case/case-saga';
import type { CaseEvent, CaseState } from './case/domain/case-state';
import type { WorkflowPolicy } from './case/domain/policy';
import { CASE_OWNER } from './case/domain/react';
import { openWorkflowReadModels, WorkflowProjection, WorkflowQueries } from './read-models';
import type { RosterPolicy } from './roster/domain/policy';
import { RosterCommands } from './roster/roster-commands';
import { workflowModule } from './workflow.module';

export const WORKFLOW_SERVICE = 'case-workflow' as const;

export interface WorkflowServiceOptions extends TimedServiceOptions {
  /** `readSchema` defaults to `workflow_read`. */
  readonly policy: WorkflowPolicy;
  readonly rosterPolicy: RosterPolicy;
  /** How long a command the saga sends may wait for its reply before it is tried again; default 10 s. */
  readonly commandTimeoutMs?: number;
}

export interface WorkflowService {
  readonly app: INestMicroservice;
  readonly saga: SagaRuntime<CaseState, CaseEvent>;
  readonly roster: RosterCommands;
  readonly queries: WorkflowQueries;
  readonly timers: PostgresTimerStore;
  readonly poller: TimerPoller;
  close(): Promise<void>;
}

/**
 * Opens the stores (migrating each), then runs the case saga — inputs from every service's events and its timers,
 * effects carried out from its own events — the roster's commands, and the read models.
 */
export async function startWorkflowService(options: WorkflowServiceOptions): Promise<WorkflowService> {
  const closers = new Closers();
  try {
    const { store } = await openPlatformStores({ ...options, applicationName: 'arrears-case-workflow' }, closers);
    const dataSource = await openWorkflowReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    closers.add(() => dataSource.destroy());
    const projection = new WorkflowProjection({ dataSource, consumer: `${WORKFLOW_SERVICE}__read-models` });
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    let nats = options.nats;
    if (nats === undefined) {
      const own = await connectNats('arrears-case-workflow commands');
      closers.add(() => own.close());
      nats = own;
    }
    const client = new CommandClient({ connection: nats, topology });
    const timers = await openServiceTimers({
      databaseUrl: options.databaseUrl,
      owner: CASE_OWNER,
      ...(options.timerSchema ? { schema: options.timerSchema } : {}),
      // The poller starts only once the saga below exists.
      handler: async (timer) => void (await saga.onTimer(timer)),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timerPollIntervalMs === undefined ? {} : { pollIntervalMs: options.timerPollIntervalMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    closers.add(() => timers.close());
    const saga: SagaRuntime<CaseState, CaseEvent> = new SagaRuntime({
      definition: caseSaga(options.policy),
      store,
      timers: timers.store,
      send: (service, command) => client.send(service, command, { timeoutMs: options.commandTimeoutMs ?? 10_000 }),
    });
    const roster = new RosterCommands(store, options.rosterPolicy);
    const app = await listenAsMicroservice(
      workflowModule({ topology, saga, roster, projection }),
      {
        service: WORKFLOW_SERVICE,
        topology,
        commands: new CommandCatalog([...caseWorkflow.ROSTER_COMMANDS, ...caseWorkflow.CASE_COMMANDS]),
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
      },
      closers,
    );
    timers.poller.start();
    return { app, saga, roster, queries: new WorkflowQueries(dataSource), timers: timers.store, poller: timers.poller, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
