import 'reflect-metadata';
import { caseWorkflow, CommandCatalog, DEFAULT_TOPOLOGY } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type TimedServiceOptions } from '@arrears/platform';
import { openSagaService, type SagaRuntime } from '@arrears/sagas';
import type { PostgresTimerStore, TimerPoller } from '@arrears/timers';
import type { INestMicroservice } from '@nestjs/common';
import { caseSaga } from './case/case-saga';
import type { CaseEvent, CaseState } from './case/domain/case-state';
import type { WorkflowPolicy } from './case/domain/policy';
import { openWorkflowReadModels, WorkflowProjection, WorkflowQueries, workflowQueryHandlers } from './read-models';
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
 * effects carried out from its own events — the roster's commands, and the read models (also answered as NATS queries).
 */
export async function startWorkflowService(options: WorkflowServiceOptions): Promise<WorkflowService> {
  const closers = new Closers();
  try {
    const { store } = await openPlatformStores({ ...options, applicationName: 'arrears-case-workflow' }, closers);
    const dataSource = await openWorkflowReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    closers.add(() => dataSource.destroy());
    const projection = new WorkflowProjection({ dataSource, consumer: `${WORKFLOW_SERVICE}__read-models` });
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const { runtime: saga, timers, close: closeSaga } = await openSagaService({
      definition: caseSaga(options.policy),
      store,
      databaseUrl: options.databaseUrl,
      topology,
      ...(options.nats ? { nats: options.nats } : {}),
      commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
      ...(options.timerSchema ? { timerSchema: options.timerSchema } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timerPollIntervalMs === undefined ? {} : { timerPollIntervalMs: options.timerPollIntervalMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    closers.add(closeSaga);
    const roster = new RosterCommands(store, options.rosterPolicy);
    const queries = new WorkflowQueries(dataSource);
    const app = await listenAsMicroservice(
      workflowModule({ topology, saga, roster, projection }),
      {
        service: WORKFLOW_SERVICE,
        topology,
        commands: new CommandCatalog([...caseWorkflow.ROSTER_COMMANDS, ...caseWorkflow.CASE_COMMANDS]),
        queries: workflowQueryHandlers(queries),
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      },
      closers,
    );
    timers.poller.start();
    return { app, saga, roster, queries, timers: timers.store, poller: timers.poller, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
