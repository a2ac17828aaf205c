import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, natsTopology } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { CommandClient, connectNats, deleteStreams, natsUrl } from '@arrears/messaging';
import { RelayProcess } from '@arrears/messaging/src/relay/testing/relay-process';
import { ServiceProcess } from '@arrears/platform/src/testing/service-process';
import { accountPlaced, createTestDatabase, eventually, uniqueName, type TestDatabase } from '@arrears/testing';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { promiseDueTimerId } from './promise/promise-timers';

const DAY_MS = 86_400_000;

/**
 * The promises-to-pay service as its own process (`services/promises-to-pay/src/main.ts`) beside the relay, on a
 * database and a NATS topology of this test, with its policy from the file ARREARS_PROMISES_POLICY names: the
 * file's numbers decide the commands taken over NATS, and reach the read model and the break timer.
 */
describe('the promises-to-pay service process', () => {
  let database: TestDatabase;
  let nats: NatsConnection;
  let dir: string;
  const processes: { kill(signal: NodeJS.Signals): void }[] = [];
  const topology = natsTopology(uniqueName('promises_e2e'));

  const policyFile = (name: string, policy: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(policy));
    return file;
  };
  const environment = (policy: string) => ({ DATABASE_URL: database.url, NATS_URL: natsUrl(), ARREARS_TOPOLOGY_ROOT: topology.root, NODE_ENV: 'test', LOG_LEVEL: 'info', ARREARS_PROMISES_POLICY: policy });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'promises-e2e-'));
    database = await createTestDatabase('promises_e2e');
    nats = await connectNats('promises-to-pay e2e');
  }, 60_000);

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    if (nats !== undefined) {
      await deleteStreams(await nats.jetstreamManager(), topology);
      await nats.close();
    }
    await database?.drop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses to start with a bad policy file: exits non-zero naming the variable and the field', async () => {
    const service = new ServiceProcess('promises-to-pay', environment(policyFile('bad-policy.json', { maxOpenPerCase: 2, graceDays: 61 })));
    processes.push(service);
    await expect(service.ready).rejects.toThrow(/failed to start: ARREARS_PROMISES_POLICY \(.*bad-policy\.json\): policy\.graceDays: /);
    expect(await service.exited).toBe(1);
  }, 60_000);

  it('takes its policy from the file: two open promises per case, no grace; stops cleanly on SIGTERM', async () => {
    const env = environment(policyFile('policy.json', { maxOpenPerCase: 2, graceDays: 0 }));
    const relay = new RelayProcess([], env);
    processes.push(relay);
    await relay.leading;
    const service = new ServiceProcess('promises-to-pay', env);
    processes.push(service);
    await service.ready;

    // The account as the accounts service stores it (the store is migrated by now): promises need a placed account.
    const accountId = randomUUID();
    const store = new PostgresEventStore({ connectionString: database.url });
    try {
      await store.appendToStream(`account-${accountId}`, [accountPlaced(accountId)], { expectedVersion: 'no_stream' });
    } finally {
      await store.close();
    }

    // Business time is now, so the service's own timer poller (on the real clock) leaves the promises open.
    const now = new Date();
    const dueDate = new Date(now.getTime() + 7 * DAY_MS).toISOString().slice(0, 10);
    const breaksAt = new Date(Date.parse(`${dueDate}T00:00:00Z`) + DAY_MS).toISOString();
    const client = new CommandClient({ connection: nats, topology });
    const record = (promiseId: string) =>
      client.send<{ events: { type: string; data: { graceDays: number; breaksAt: string } }[] }>('promises-to-pay', {
        type: 'RecordPromise',
        data: { promiseId, accountId, amount: { minor: 20_000, currency: 'USD' }, dueDate, channel: 'call' },
        metadata: { correlationId: randomUUID(), actorId: 'collector-7', actorRole: 'collector', now: now.toISOString() },
      });

    const first = randomUUID();
    const second = randomUUID();
    const recorded = await record(first);
    expect(recorded.events).toEqual([expect.objectContaining({ type: 'PromiseRecorded', data: expect.objectContaining({ graceDays: 0, breaksAt }) })]);
    // The default policy (one open promise per case) would refuse this one.
    expect((await record(second)).events.map((event) => event.type)).toEqual(['PromiseRecorded']);
    await expect(record(randomUUID())).rejects.toMatchObject({ code: ErrorCode.STATE_CONFLICT, field: 'data.accountId', message: expect.stringContaining('at most 2') });

    // Through the relay: both promises in the read model with no grace, each with its break timer at due date + 1 day.
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      await eventually(
        async () => {
          const { rows } = await db.query('select promise_id, grace_days, status from promises_read.promises where account_id = $1 order by promise_id', [accountId]);
          expect(rows).toEqual(
            [first, second].sort().map((promiseId) => ({ promise_id: promiseId, grace_days: 0, status: 'open' })),
          );
        },
        { timeoutMs: 30_000 },
      );
      await eventually(
        async () => {
          const { rows } = await db.query('select timer_id, fire_at, status from arrears_timers.timers where timer_id = any($1::uuid[]) order by timer_id', [[promiseDueTimerId(first), promiseDueTimerId(second)]]);
          expect(rows.map((row: { fire_at: Date; status: string }) => ({ fireAt: row.fire_at.toISOString(), status: row.status }))).toEqual([
            { fireAt: breaksAt, status: 'pending' },
            { fireAt: breaksAt, status: 'pending' },
          ]);
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      await db.end();
    }

    service.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  }, 60_000);
});
