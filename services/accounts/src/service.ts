import 'reflect-metadata';
import { accounts, CommandCatalog, DEFAULT_TOPOLOGY, type Topology } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { ArrearsRpcExceptionFilter, JetStreamTransport } from '@arrears/messaging';
import { PersonalDataVault, PostgresKeyProvider } from '@arrears/security';
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KeyObject } from 'node:crypto';
import type { NatsConnection } from 'nats';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { AccountCommands } from './account/account-commands';
import { DailyReview } from './account/daily-review';
import type { AccountsPolicy } from './account/domain/policy';
import { accountsModule } from './accounts.module';
import { AccountQueries, AccountsProjection, openReadModels } from './read-models';

export const ACCOUNTS_SERVICE = 'accounts' as const;
/** The read models' durable consumer: `<service>__<handler name>`, the key `processOnce` records events under. */
export const READ_MODELS_CONSUMER = `${ACCOUNTS_SERVICE}__read-models`;

export interface AccountsServiceOptions {
  readonly databaseUrl: string;
  /** Where the event store's tables are (shared by every service and the relay); default `arrears_events`. */
  readonly storeSchema?: string;
  /** The personal-data keys; default `arrears_pii`. */
  readonly keySchema?: string;
  /** The read models; default `accounts_read`. */
  readonly readSchema?: string;
  readonly masterKey: KeyObject | Uint8Array;
  readonly policy: AccountsPolicy;
  readonly topology?: Topology;
  /** A NATS connection the caller owns; otherwise the transport opens its own (`NATS_URL`). */
  readonly nats?: NatsConnection;
  readonly logger?: LoggerService | false;
  /** How long a debtor's key is reused before the key store is asked again (an erasure elsewhere is seen after it). */
  readonly keyCacheTtlMs?: number;
  /** How often the daily review looks for accounts whose days past due moved them; 0 (the default here) never. */
  readonly reviewIntervalMs?: number;
}

export interface AccountsService {
  readonly app: INestMicroservice;
  readonly queries: AccountQueries;
  readonly commands: AccountCommands;
  readonly vault: PersonalDataVault;
  readonly review: DailyReview;
  close(): Promise<void>;
}

/** Opens the stores (migrating each), then takes commands and projects events until `close()`. */
export async function startAccountsService(options: AccountsServiceOptions): Promise<AccountsService> {
  const opened: (() => Promise<unknown>)[] = [];
  const undo = async () => {
    for (const close of opened.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const store = new PostgresEventStore({ connectionString: options.databaseUrl, poolConfig: { max: 10, application_name: 'arrears-accounts' }, ...(options.storeSchema ? { schema: options.storeSchema } : {}) });
    opened.push(() => store.close());
    await store.migrate();

    const keyPool = new Pool({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, max: 4, application_name: 'arrears-accounts keys' });
    keyPool.on('error', () => undefined);
    opened.push(() => keyPool.end());
    const keys = new PostgresKeyProvider({ pool: keyPool, masterKey: options.masterKey, ...(options.keySchema ? { schema: options.keySchema } : {}) });
    await keys.migrate();
    const vault = new PersonalDataVault(keys, options.keyCacheTtlMs === undefined ? {} : { keyCacheTtlMs: options.keyCacheTtlMs });

    const dataSource: DataSource = await openReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    opened.push(() => dataSource.destroy());
    const projection = new AccountsProjection({ dataSource, consumer: READ_MODELS_CONSUMER, reader: { reveal: (subject, field, value) => vault.decrypt(subject, field, value) } });
    const queries = new AccountQueries(dataSource);
    const commands = new AccountCommands(store, vault, options.policy, queries);
    const topology = options.topology ?? DEFAULT_TOPOLOGY;

    const app = await NestFactory.createMicroservice(accountsModule({ topology, commands, projection }), {
      strategy: new JetStreamTransport({
        service: ACCOUNTS_SERVICE,
        topology,
        commands: new CommandCatalog(accounts.ACCOUNT_COMMANDS),
        ...(options.nats ? { connection: options.nats } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      }),
      logger: options.logger ?? false,
    });
    app.useGlobalFilters(new ArrearsRpcExceptionFilter());
    opened.push(() => app.close());
    await app.listen();
    const review = new DailyReview(commands, queries, {
      intervalMs: options.reviewIntervalMs ?? 0,
      recentPaymentDays: options.policy.risk.recentPaymentDays,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    opened.push(() => review.stop());
    review.start();
    return { app, queries, commands, vault, review, close: undo };
  } catch (error) {
    await undo();
    throw error;
  }
}
