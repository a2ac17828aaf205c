import 'reflect-metadata';
import { CommandCatalog, contactAttempts, DEFAULT_TOPOLOGY } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type ServiceOptions } from '@arrears/platform';
import type { PersonalDataVault } from '@arrears/security';
import type { INestMicroservice } from '@nestjs/common';
import type { ComplianceConfig } from './compliance';
import { complianceRules } from './contact/compliance-rules';
import { ContactCommands } from './contact/contact-commands';
import { targetKeySecret } from './contact/targets';
import { ScriptCommands } from './script/script-commands';
import { contactAttemptsModule } from './contact-attempts.module';
import { ContactProjection, ContactQueries, contactQueryHandlers, openContactReadModels } from './read-models';

export const CONTACT_ATTEMPTS_SERVICE = 'contact-attempts' as const;
export const CONTACT_READ_MODELS_CONSUMER = `${CONTACT_ATTEMPTS_SERVICE}__read-models`;

export interface ContactAttemptsServiceOptions extends ServiceOptions {
  /** `readSchema` defaults to `contact_read`. */
  readonly compliance: ComplianceConfig;
}

export interface ContactAttemptsService {
  readonly app: INestMicroservice;
  readonly commands: ContactCommands;
  readonly queries: ContactQueries;
  readonly vault: PersonalDataVault;
  close(): Promise<void>;
}

/** Opens the stores (migrating each), then decides contacts and projects their events until `close()`. */
export async function startContactAttemptsService(options: ContactAttemptsServiceOptions): Promise<ContactAttemptsService> {
  const closers = new Closers();
  try {
    const { store, vault } = await openPlatformStores({ ...options, applicationName: 'arrears-contact-attempts' }, closers);
    const dataSource = await openContactReadModels({ url: options.databaseUrl, ...(options.readSchema ? { schema: options.readSchema } : {}) });
    closers.add(() => dataSource.destroy());
    const projection = new ContactProjection({ dataSource, consumer: CONTACT_READ_MODELS_CONSUMER });
    const rules = complianceRules(options.compliance);
    const commands = new ContactCommands(store, vault, rules, targetKeySecret(options.masterKey));
    const scripts = new ScriptCommands(store, rules);
    const queries = new ContactQueries(dataSource);
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const app = await listenAsMicroservice(
      contactAttemptsModule({ topology, commands, scripts, projection }),
      {
        service: CONTACT_ATTEMPTS_SERVICE,
        topology,
        commands: new CommandCatalog([...contactAttempts.CONTACT_COMMANDS, ...contactAttempts.SCRIPT_COMMANDS]),
        queries: contactQueryHandlers(queries),
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      },
      closers,
    );
    return { app, commands, queries, vault, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
