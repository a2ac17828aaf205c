import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { accounts } from '@arrears/contracts';
import { CommandClient } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { createLogger, nestLogger } from '@arrears/observability';
import { createTestSchema, databaseUrl, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_ACCOUNTS_POLICY } from '../account/domain/policy';
import { startAccountsService, type AccountsService } from '../service';

/**
 * The accounts service as it runs in production, in a world of one test's own: the event store, keys and read
 * models in its schemas, a NATS topology of its own with a relay feeding it, every log line captured.
 */
export class AccountsWorld {
  private constructor(
    /** Every log line the service wrote, as written. */
    readonly logLines: readonly string[],
    readonly harness: RelayHarness,
    private readonly schemas: TestSchema[],
    readonly service: AccountsService,
    readonly client: CommandClient,
  ) {}

  static async start(name: string): Promise<AccountsWorld> {
    const harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName(name) });
    const schemas: TestSchema[] = [];
    const logLines: string[] = [];
    try {
      schemas.push(await createTestSchema('accounts_keys'), await createTestSchema('accounts_read'));
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      });
      const service = await startAccountsService({
        databaseUrl: databaseUrl(),
        storeSchema: harness.storeSchema.name,
        keySchema: schemas[0]!.name,
        readSchema: schemas[1]!.name,
        masterKey: randomBytes(32),
        policy: DEFAULT_ACCOUNTS_POLICY,
        topology: harness.topology,
        nats: harness.nats,
        logger: nestLogger(createLogger({ service: 'accounts', destination, env: { LOG_LEVEL: 'trace' } })),
        keyCacheTtlMs: 0,
      });
      (await harness.relay()).start();
      return new AccountsWorld(logLines, harness, schemas, service, new CommandClient({ connection: harness.nats, topology: harness.topology }));
    } catch (error) {
      await harness.cleanup();
      for (const schema of schemas) await schema.drop();
      throw error;
    }
  }

  /** The read-model schema: where a test looks at rows directly. */
  get readSchema(): TestSchema {
    return this.schemas[1]!;
  }

  send(type: accounts.AccountCommand['type'], data: object, role: 'supervisor' | 'collector' = 'supervisor'): Promise<unknown> {
    return this.client.send('accounts', {
      type,
      data: data as Record<string, unknown>,
      metadata: { correlationId: randomUUID(), actorId: `${role}-2`, actorRole: role, now: '2026-11-29T10:00:00.000Z' },
    });
  }

  async close(): Promise<void> {
    await this.service.close();
    await this.harness.cleanup();
    for (const schema of this.schemas) await schema.drop();
  }
}
