import 'reflect-metadata';
import { accounts, CommandCatalog, DEFAULT_TOPOLOGY } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type ServiceOptions } from '@arrears/platform';
import type { PersonalDataVault } from '@arrears/security';
import type { INestMicroservice } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AccountCommands } from './account/account-commands';
import { DailyReview } from './account/daily-review';
import type { AccountsPolicy } from './account/domain/policy';
import { accountsModule } from './accounts.module';
import { AccountQueries, accountQueryHandlers, AccountsProjection, openReadModels, recoveryQueryHandlers, RecoveryTrendQuery } from './read-models';

export const ACCOUNTS_SERVICE = 'accounts' as const;
/** The read models' durable consumer: `<service>__<handler name>`, the key `processOnce` records events under. */
export const READ_MODELS_CONSUMER = `${ACCOUNTS_SERVICE}__read-models`;

export interface AccountsServiceOptions extends ServiceOptions {
  /** `readSchema` defaults to `accounts_read`. */
  readonly policy: AccountsPolicy;
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
  const closers = new Closers();
  try {
    const { store, vault } = await openPlatformStores({ ...options, applicationName: 'arrears-accounts' }, closers);
    const dataSource: DataSource = await openReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    closers.add(() => dataSource.destroy());
    const projection = new AccountsProjection({ dataSource, consumer: READ_MODELS_CONSUMER, reader: { reveal: (subject, field, value) => vault.decrypt(subject, field, value) } });
    const queries = new AccountQueries(dataSource);
    const commands = new AccountCommands(store, vault, options.policy, queries);
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const app = await listenAsMicroservice(
      accountsModule({ topology, commands, projection }),
      { service: ACCOUNTS_SERVICE, topology, commands: new CommandCatalog(accounts.ACCOUNT_COMMANDS), queries: { ...accountQueryHandlers(queries), ...recoveryQueryHandlers(new RecoveryTrendQuery(dataSource, options.policy.recoveryTarget)) }, ...(options.nats ? { nats: options.nats } : {}), ...(options.logger !== undefined ? { logger: options.logger } : {}), ...(options.clock ? { clock: options.clock } : {}) },
      closers,
    );
    const review = new DailyReview(commands, queries, {
      intervalMs: options.reviewIntervalMs ?? 0,
      recentPaymentDays: options.policy.risk.recentPaymentDays,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    closers.add(() => review.stop());
    review.start();
    return { app, queries, commands, vault, review, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
