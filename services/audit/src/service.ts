import 'reflect-metadata';
import { CommandCatalog, DEFAULT_TOPOLOGY } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type ServiceOptions } from '@arrears/platform';
import type { INestMicroservice } from '@nestjs/common';
import { Pool } from 'pg';
import { auditModule } from './audit.module';
import { AuditLedger, scheduleCheckpoints, writerPoolConfig, type CheckpointSigner } from './ledger';

export const AUDIT_SERVICE = 'audit' as const;

export interface AuditServiceOptions extends ServiceOptions {
  /** The ledger; default `audit_ledger`. */
  readonly ledgerSchema?: string;
  readonly signer: CheckpointSigner;
  /** How often the chain heads are checkpointed and signed; default every 5 minutes, 0 never. */
  readonly checkpointEveryMs?: number;
}

export interface AuditService {
  readonly app: INestMicroservice;
  readonly ledger: AuditLedger;
  close(): Promise<void>;
}

/**
 * Migrates the ledger (as its owner), then records every event of the platform through a pool that acts as the
 * ledger's writer role (insert and select only), and checkpoints the chain heads on a schedule.
 */
export async function startAuditService(options: AuditServiceOptions): Promise<AuditService> {
  const closers = new Closers();
  try {
    // The event store is the platform's; the audit service only needs its schema to exist (verification reads it).
    await openPlatformStores({ ...options, applicationName: 'arrears-audit' }, closers);
    const schema = options.ledgerSchema ? { schema: options.ledgerSchema } : {};
    const owner = new Pool({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, max: 1, application_name: 'arrears-audit migrations' });
    owner.on('error', () => undefined);
    try {
      await new AuditLedger({ pool: owner, ...schema }).migrate();
    } finally {
      await owner.end();
    }
    const writer = new Pool({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, max: 4, application_name: 'arrears-audit ledger', ...writerPoolConfig() });
    writer.on('error', () => undefined);
    closers.add(() => writer.end());
    const ledger = new AuditLedger({ pool: writer, ...schema, signer: options.signer });
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const app = await listenAsMicroservice(
      auditModule({ topology, ledger }),
      {
        service: AUDIT_SERVICE,
        topology,
        commands: new CommandCatalog([]),
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
      },
      closers,
    );
    const everyMs = options.checkpointEveryMs ?? 300_000;
    if (everyMs > 0) {
      const checkpoints = scheduleCheckpoints(ledger, { everyMs, onError: (error) => options.logger && options.logger.error?.(`checkpoint failed: ${String(error)}`, 'AuditLedger') });
      closers.add(() => checkpoints.stop());
    }
    return { app, ledger, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
