import 'reflect-metadata';
import type { KeyObject } from 'node:crypto';
import { CommandCatalog, DEFAULT_TOPOLOGY } from '@arrears/contracts';
import { Closers, listenAsMicroservice, openPlatformStores, type ServiceOptions } from '@arrears/platform';
import type { INestMicroservice } from '@nestjs/common';
import { Pool } from 'pg';
import { auditModule } from './audit.module';
import { auditQueryHandlers, DEFAULT_MAX_ANSWER_BYTES } from './audit-queries';
import { AuditLedger, scheduleCheckpoints, verificationKeysFromEnv, VERIFY_KEYS_ENV, writerPoolConfig, type CheckpointSigner } from './ledger';

export const AUDIT_SERVICE = 'audit' as const;

export interface AuditServiceOptions extends ServiceOptions {
  /** The ledger; default `audit_ledger`. */
  readonly ledgerSchema?: string;
  readonly signer: CheckpointSigner;
  /** How often the chain heads are checkpointed and signed; default every 5 minutes, 0 never. */
  readonly checkpointEveryMs?: number;
  /** The public keys verification accepts; default ARREARS_AUDIT_VERIFY_KEYS when set, else the signer's own. */
  readonly verifyKeys?: readonly KeyObject[];
}

export interface AuditService {
  readonly app: INestMicroservice;
  readonly ledger: AuditLedger;
  close(): Promise<void>;
}

/**
 * Migrates the ledger (as its owner), then records every event of the platform through a pool that acts as the
 * ledger's writer role (insert and select only), checkpoints the chain heads on a schedule, and answers the auditors'
 * queries (audit-queries.ts) from a pool whose transactions are read-only.
 */
export async function startAuditService(options: AuditServiceOptions): Promise<AuditService> {
  const closers = new Closers();
  try {
    // The event store is the platform's; the audit service only needs its schema to exist (verification reads it).
    const { store } = await openPlatformStores({ ...options, applicationName: 'arrears-audit' }, closers);
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
    // Replays, verifications and reports read a lot for a long time: on a pool of their own, beside the appends, and
    // read-only, so that nothing a query does can write.
    const reader = new Pool({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, max: 4, application_name: 'arrears-audit queries', options: '-c default_transaction_read_only=on' });
    reader.on('error', () => undefined);
    closers.add(() => reader.end());
    const queries = auditQueryHandlers({
      ledger: new AuditLedger({ pool: reader, ...schema }),
      store,
      // As `audit verify` reads them: ARREARS_AUDIT_VERIFY_KEYS, or else the signing key's own public key.
      publicKeys: options.verifyKeys ?? (process.env[VERIFY_KEYS_ENV]?.trim() ? verificationKeysFromEnv() : [options.signer.publicKey]),
      maxAnswerBytes: options.nats?.info?.max_payload ?? DEFAULT_MAX_ANSWER_BYTES,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const topology = options.topology ?? DEFAULT_TOPOLOGY;
    const app = await listenAsMicroservice(
      auditModule({ topology, ledger }),
      {
        service: AUDIT_SERVICE,
        topology,
        commands: new CommandCatalog([]),
        queries,
        ...(options.nats ? { nats: options.nats } : {}),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      },
      closers,
    );
    const everyMs = options.checkpointEveryMs ?? 300_000;
    if (everyMs > 0) {
      const clock = options.clock;
      const checkpoints = scheduleCheckpoints(clock ? { checkpoint: () => ledger.checkpoint({ at: clock().toISOString() }) } : ledger, { everyMs, onError: (error) => options.logger && options.logger.error?.(`checkpoint failed: ${String(error)}`, 'AuditLedger') });
      closers.add(() => checkpoints.stop());
    }
    return { app, ledger, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}
