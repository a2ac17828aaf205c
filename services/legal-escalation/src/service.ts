import 'reflect-metadata';
import { CommandCatalog, DEFAULT_TOPOLOGY, legalEscalation } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type TimedServiceOptions } from '@arrears/platform';
import { openSagaService, type SagaRuntime } from '@arrears/sagas';
import type { PostgresTimerStore, TimerPoller } from '@arrears/timers';
import type { INestMicroservice } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { Pool } from 'pg';
import { CaseIndex, PostgresPackageStore, type PackageSigner, type PackageStore } from './evidence';
import { PackageDownloads, packageQueryHandlers } from './evidence/package-downloads';
import { FixEvidenceHandler } from './fix-evidence';
import type { HandoffState } from './handoff/domain/handoff-state';
import { handoffSaga } from './handoff/handoff-saga';
import { legalModule } from './legal.module';
import { PackageVerifier } from './package-verifier';
import { LegalProjection, LegalQueries, legalQueryHandlers, observeHandoffs, openLegalReadModels } from './read-models';

export const LEGAL_SERVICE = 'legal-escalation' as const;

export interface LegalServiceOptions extends TimedServiceOptions {
  /** `readSchema` defaults to `legal_read`. The packages and the case index; default `legal_evidence`. */
  readonly evidenceSchema?: string;
  readonly signer: PackageSigner;
  /** The public keys packages are verified with (the signer's and any rotated out); default the signer's. */
  readonly verificationKeys?: readonly KeyObject[];
  /** The instant a package counts as delivered (tests); default `clock`. */
  readonly deliveryClock?: () => Date;
  /** How long a command the saga sends (FixEvidence) may wait for its reply before it is tried again; default 60 s. */
  readonly commandTimeoutMs?: number;
}

export interface LegalService {
  readonly app: INestMicroservice;
  readonly saga: SagaRuntime<HandoffState, legalEscalation.LegalEvent>;
  readonly packages: PackageStore;
  readonly index: CaseIndex;
  readonly verifier: PackageVerifier;
  readonly queries: LegalQueries;
  readonly timers: PostgresTimerStore;
  readonly poller: TimerPoller;
  close(): Promise<void>;
}

/**
 * Opens the stores (migrating each), then runs the 48-hour handoff saga, the evidence packages and the read models;
 * the read models and the packages are answered as NATS queries.
 */
export async function startLegalService(options: LegalServiceOptions): Promise<LegalService> {
  const closers = new Closers();
  try {
    const { store } = await openPlatformStores({ ...options, applicationName: 'arrears-legal-escalation' }, closers);
    const pool = new Pool({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, max: 6, application_name: 'arrears-legal-escalation evidence' });
    pool.on('error', () => undefined);
    closers.add(() => pool.end());
    const evidenceSchema = options.evidenceSchema ? { schema: options.evidenceSchema } : {};
    const index = new CaseIndex({ pool, ...evidenceSchema });
    await index.migrate();
    const packages = new PostgresPackageStore({ pool, ...evidenceSchema });
    const dataSource = await openLegalReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    closers.add(() => dataSource.destroy());
    const projection = new LegalProjection({ dataSource, consumer: `${LEGAL_SERVICE}__read-models` });
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const { runtime: saga, timers, close: closeSaga } = await openSagaService({
      definition: handoffSaga(),
      store,
      databaseUrl: options.databaseUrl,
      topology,
      ...(options.nats ? { nats: options.nats } : {}),
      commandTimeoutMs: options.commandTimeoutMs ?? 60_000,
      ...(options.timerSchema ? { timerSchema: options.timerSchema } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timerPollIntervalMs === undefined ? {} : { timerPollIntervalMs: options.timerPollIntervalMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    closers.add(closeSaga);
    const fixEvidence = new FixEvidenceHandler({ store, index, packages, signer: options.signer, saga, ...(options.deliveryClock ?? options.clock ? { clock: options.deliveryClock ?? options.clock } : {}) });
    const verifier = new PackageVerifier({ packages, store, index, publicKeys: options.verificationKeys ?? [options.signer.publicKey] });
    const queries = new LegalQueries(dataSource);
    const stopObserving = observeHandoffs(() => queries.statusCounts());
    closers.add(async () => stopObserving());
    const app = await listenAsMicroservice(
      legalModule({ topology, store, saga, fixEvidence, verifier, index, projection }),
      {
        service: LEGAL_SERVICE,
        topology,
        commands: new CommandCatalog(legalEscalation.LEGAL_COMMANDS),
        queries: { ...legalQueryHandlers(queries), ...packageQueryHandlers(new PackageDownloads(packages)) },
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      },
      closers,
    );
    timers.poller.start();
    return { app, saga, packages, index, verifier, queries, timers: timers.store, poller: timers.poller, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
