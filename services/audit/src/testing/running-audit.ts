import { randomBytes } from 'node:crypto';
import type { EventEnvelope, NewEvent } from '@arrears/contracts';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { createTestSchema, databaseUrl, eventually, uniqueName, type TestSchema } from '@arrears/testing';
import { main } from '../audit-cli';
import { signerFromEnv } from '../ledger';
import { startAuditService, type AuditService, type AuditServiceOptions } from '../service';

/**
 * The audit service as it runs, on the machine's PostgreSQL and NATS, for the tests that read it: an event store with
 * a relay publishing it to a topology of the test's own, the service recording every event in a ledger in a schema of
 * its own and answering queries, and the command line pointed at the same ledger and store.
 */
export interface RunningAudit {
  readonly harness: RelayHarness;
  readonly service: AuditService;
  readonly ledgerSchema: TestSchema;
  /** The ledger's schema, quoted, to qualify table names in SQL (and for `asAttacker` in ledger/testing). */
  readonly table: (name: 'entries' | 'case_entries' | 'checkpoints') => string;
  /** Appends the events to the stream, waits until the ledger has recorded them, and gives them back as stored. */
  record(streamId: string, events: readonly NewEvent[]): Promise<EventEnvelope[]>;
  /** `npm run arrears -- audit …` against this ledger and store. */
  cli(...argv: string[]): Promise<{ readonly code: number; readonly out: string; readonly err: string }>;
  close(): Promise<void>;
}

export async function startRunningAudit(root: string, options: Partial<AuditServiceOptions> = {}): Promise<RunningAudit> {
  const harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName(root) });
  const ledgerSchema = await createTestSchema('audit_ledger');
  const keySchema = await createTestSchema('audit_keys');
  const drop = async () => {
    await harness.cleanup();
    await ledgerSchema.drop();
    await keySchema.drop();
  };
  let service: AuditService;
  try {
    (await harness.relay()).start();
    service = await startAuditService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: keySchema.name,
      ledgerSchema: ledgerSchema.name,
      masterKey: randomBytes(32),
      signer: signerFromEnv({ NODE_ENV: 'test' }),
      checkpointEveryMs: 0,
      topology: harness.topology,
      nats: harness.nats,
      ...options,
    });
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    harness,
    service,
    ledgerSchema,
    table: (name) => `"${ledgerSchema.name}".${name}`,
    async record(streamId, events) {
      await harness.store.appendToStream(streamId, events, { expectedVersion: 'any' });
      // Waits for these events by id: the store's global log (and so a count of it) shows new events only once every
      // transaction older than them has ended, which another test's long transaction can hold back.
      const ids = events.map((event) => event.eventId);
      await eventually(
        async () => {
          const { rows } = await ledgerSchema.pool.query<{ recorded: number }>(`select count(*)::int as recorded from "${ledgerSchema.name}".entries where event_id = any($1::uuid[])`, [ids]);
          if (rows[0]?.recorded !== ids.length) throw new Error(`the ledger holds ${rows[0]?.recorded ?? 0} of the ${ids.length} events appended to ${streamId}`);
        },
        { timeoutMs: 20_000 },
      );
      const stored = await harness.store.readStream(streamId);
      return ids.map((id) => stored.find((event) => event.eventId === id)!);
    },
    async cli(...argv) {
      let out = '';
      let err = '';
      const env = { DATABASE_URL: databaseUrl(), ARREARS_AUDIT_LEDGER_SCHEMA: ledgerSchema.name, ARREARS_STORE_SCHEMA: harness.storeSchema.name, NODE_ENV: 'test' };
      const code = await main(argv, { out: { write: (text: string) => (out += text) }, err: { write: (text: string) => (err += text) } }, env);
      return { code, out, err };
    },
    async close() {
      await service.close();
      await drop();
    },
  };
}
