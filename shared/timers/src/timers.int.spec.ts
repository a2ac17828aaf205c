import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { prometheusSample, startTelemetry } from '@arrears/observability';
import { createTestSchema, databaseUrl, eventually, rejection, uniqueName, type TestSchema } from '@arrears/testing';
import { Pool } from 'pg';
import { PostgresTimerStore } from './postgres-timer-store';
import { timerId, type DueTimer, type ScheduleTimer } from './timer';
import { TimerPoller, type TimerPollerOptions } from './timer-poller';

/** Due date plus grace: the instant a promise breaks if it was not kept. */
const BREAKS_AT = '2025-03-01T00:00:00.000Z';

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    set: (iso: string) => void (now = new Date(iso)),
    advance: (ms: number) => void (now = new Date(now.getTime() + ms)),
  };
}

function later(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** A promise the test settles: a handler blocked on it stays inside its claim until the test says so. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { promise, open, fail };
}

describe('durable timers', () => {
  let schema: TestSchema;
  let store: PostgresTimerStore;
  const pools: Pool[] = [];
  const pollers: TimerPoller[] = [];
  const warnings: string[] = [];

  /** A pool of its own: another instance of the service, on connections of its own. */
  const newPool = (applicationName = 'timers-test', options?: string) => {
    const pool = new Pool({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000, max: 5, application_name: applicationName, options });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };

  const poller = (options: Omit<TimerPollerOptions, 'store' | 'logger'> & { store?: PostgresTimerStore }) => {
    const made = new TimerPoller({ store, logger: { warn: (message) => warnings.push(message) }, ...options });
    pollers.push(made);
    return made;
  };

  /** A timer of its own owner, so that tests sharing the file's schema never fire each other's timers. */
  const promiseDue = (owner = uniqueName('promises-to-pay'), key: string = randomUUID(), fireAt = BREAKS_AT): ScheduleTimer => ({
    timerId: timerId(owner, 'PromiseDue', key),
    owner,
    kind: 'PromiseDue',
    key,
    fireAt,
    payload: { promiseId: key, accountId: 'a3c9e4b2-1f7d-4e6a-8b5c-2d9f0e1a7b63' },
  });

  /** The timers of one owner, or of everyone. */
  const rowCount = async (owner?: string) =>
    Number(
      (await schema.pool.query<{ n: string }>(`select count(*) as n from "${schema.name}".timers where owner = coalesce($1, owner)`, [owner ?? null])).rows[0]?.n,
    );

  beforeAll(async () => {
    schema = await createTestSchema('timers');
    store = new PostgresTimerStore({ pool: schema.pool, schema: schema.name });
    // Instances starting at once all migrate; none fails, and the table is made once.
    await Promise.all([store.migrate(), store.migrate()]);
  });

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((running) => running.stop()));
    warnings.length = 0;
  });

  afterAll(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
    await schema.drop();
  });

  describe('firing at the due instant', () => {
    it('does not fire one millisecond before fireAt, fires at fireAt exactly, and only once', async () => {
      const timer = await scheduled(promiseDue());
      const clock = manualClock(later(BREAKS_AT, -1));
      const fired: DueTimer[] = [];
      const timers = poller({ owner: timer.owner, clock: clock.now, handler: async (due) => void fired.push(due) });

      expect(await timers.pollOnce()).toBe(0);
      expect(fired).toEqual([]);
      expect((await store.get(timer.timerId))?.status).toBe('pending');

      clock.set(BREAKS_AT);
      expect(await timers.pollOnce()).toBe(1);
      clock.advance(86_400_000);
      expect(await timers.pollOnce()).toBe(0);

      expect(fired).toEqual([{ timerId: timer.timerId, owner: timer.owner, kind: 'PromiseDue', key: timer.key, fireAt: BREAKS_AT, payload: timer.payload, attempt: 1, firedAt: BREAKS_AT }]);
      expect(await store.get(timer.timerId)).toMatchObject({ status: 'fired', firedAt: BREAKS_AT, attempts: 1, lastError: null, cancelledAt: null });
    });

    it('a started poller fires only once the clock reaches fireAt', async () => {
      const timer = await scheduled(promiseDue());
      const clock = manualClock(later(BREAKS_AT, -1));
      let polls = 0;
      const fired: string[] = [];
      const timers = poller({ owner: timer.owner, clock: () => (polls++, clock.now()), pollIntervalMs: 5, handler: async (due) => void fired.push(due.firedAt) });

      timers.start();
      await eventually(() => expect(polls).toBeGreaterThanOrEqual(5));
      expect(fired).toEqual([]);

      clock.set(BREAKS_AT);
      await eventually(() => expect(fired).toEqual([BREAKS_AT]));
      const seen = polls;
      await eventually(() => expect(polls).toBeGreaterThanOrEqual(seen + 5));
      expect(fired).toEqual([BREAKS_AT]);
    });

    it('fires due timers oldest first', async () => {
      const owner = uniqueName('promises-to-pay');
      const first = await scheduled(promiseDue(owner, 'b', later(BREAKS_AT, -2_000)));
      const second = await scheduled(promiseDue(owner, 'a', BREAKS_AT));
      const keys: string[] = [];
      const timers = poller({ owner, clock: () => new Date(BREAKS_AT), handler: async (due) => void keys.push(due.key) });

      expect(await timers.pollOnce()).toBe(2);
      expect(keys).toEqual([first.key, second.key]);
    });
  });

  describe('scheduling is idempotent', () => {
    it('the same timer twice keeps one, and a fired timer is not brought back', async () => {
      const timer = promiseDue();
      expect(await store.schedule(timer)).toBe(true);
      expect(await store.schedule(timer)).toBe(false);
      // jsonb compares by value: the same payload written in another key order is the same timer.
      expect(await store.schedule({ ...timer, payload: { accountId: timer.payload?.['accountId'], promiseId: timer.key } })).toBe(false);
      expect(await rowCount(timer.owner)).toBe(1);

      await poller({ owner: timer.owner, clock: () => new Date(BREAKS_AT), handler: async () => undefined }).pollOnce();
      expect(await store.schedule(timer)).toBe(false);
      expect(await store.get(timer.timerId)).toMatchObject({ status: 'fired' });
      expect(await rowCount(timer.owner)).toBe(1);
    });

    it('the same id with another payload or fireAt is refused, naming the field, and the timer stays as it was', async () => {
      const timer = await scheduled(promiseDue());
      const before = await store.get(timer.timerId);

      const otherPayload = await rejection(store.schedule({ ...timer, payload: { promiseId: timer.key, accountId: randomUUID() } }));
      expect(otherPayload).toMatchObject({ code: ErrorCode.IDEMPOTENCY_CONFLICT, field: 'timerId', details: { differs: ['payload'] } });
      const otherTime = await rejection(store.schedule({ ...timer, fireAt: later(BREAKS_AT, 1) }));
      expect(otherTime).toMatchObject({ code: ErrorCode.IDEMPOTENCY_CONFLICT, field: 'timerId', details: { differs: ['fireAt'] } });

      expect(await store.get(timer.timerId)).toEqual(before);
    });

    it('concurrent schedules of one timer from several instances make one row, and exactly one reports it new', async () => {
      const timer = promiseDue();
      const other = new PostgresTimerStore({ pool: newPool(), schema: schema.name });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? store : other).schedule(timer)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await rowCount(timer.owner)).toBe(1);
    });

    it("schedules inside the caller's transaction: gone with its rollback, there with its commit", async () => {
      const timer = promiseDue();
      const client = await schema.pool.connect();
      try {
        await client.query('begin');
        await store.schedule(timer, client);
        await client.query('rollback');
        expect(await store.get(timer.timerId)).toBeUndefined();

        await client.query('begin');
        await store.schedule(timer, client);
        expect(await store.get(timer.timerId)).toBeUndefined(); // not visible before the commit
        await client.query('commit');
      } finally {
        client.release();
      }
      expect((await store.get(timer.timerId))?.status).toBe('pending');
    });
  });

  describe('cancelling', () => {
    it('a cancelled timer never fires', async () => {
      const timer = await scheduled(promiseDue());
      const fired: string[] = [];
      const timers = poller({ owner: timer.owner, clock: () => new Date(later(BREAKS_AT, 86_400_000)), handler: async (due) => void fired.push(due.timerId) });

      expect(await store.cancel(timer.timerId)).toBe(1);
      expect(await store.cancel(timer.timerId)).toBe(0);
      expect(await timers.pollOnce()).toBe(0);

      expect(fired).toEqual([]);
      expect(await store.get(timer.timerId)).toMatchObject({ status: 'cancelled', firedAt: null, cancelledAt: expect.any(String) });
    });

    it("cancelByKey cancels that key's pending timers only: not another key's, another owner's, nor a fired one", async () => {
      const owner = uniqueName('promises-to-pay');
      const [left, kept] = [randomUUID(), randomUUID()];
      const firedEarlier = await scheduled({ ...promiseDue(owner, left, later(BREAKS_AT, -86_400_000)), timerId: timerId(owner, 'PromiseReminder', left), kind: 'PromiseReminder' });
      await poller({ owner, clock: () => new Date(later(BREAKS_AT, -86_400_000)), handler: async () => undefined }).pollOnce();
      const due = await scheduled(promiseDue(owner, left));
      const followUp = await scheduled({ ...promiseDue(owner, left, later(BREAKS_AT, 1_000)), timerId: timerId(owner, 'FollowUp', left), kind: 'FollowUp' });
      const otherKey = await scheduled(promiseDue(owner, kept));
      const otherOwner = await scheduled(promiseDue(uniqueName('contact-attempts'), left));

      expect(await store.cancelByKey(owner, left, 'NoSuchKind')).toBe(0);
      expect(await store.cancelByKey(owner, left)).toBe(2);
      expect(await store.cancelByKey(owner, left)).toBe(0);

      const statuses = await Promise.all([firedEarlier, due, followUp, otherKey, otherOwner].map(async (t) => (await store.get(t.timerId))?.status));
      expect(statuses).toEqual(['fired', 'cancelled', 'cancelled', 'pending', 'pending']);
      expect((await store.pending(owner)).map((t) => t.key)).toEqual([kept]);
      expect(await store.pending(owner, left)).toEqual([]);
    });

    it('cancelByKey with a kind cancels only that kind', async () => {
      const owner = uniqueName('promises-to-pay');
      const key = randomUUID();
      const due = await scheduled(promiseDue(owner, key));
      const followUp = await scheduled({ ...promiseDue(owner, key), timerId: timerId(owner, 'FollowUp', key), kind: 'FollowUp' });

      expect(await store.cancelByKey(owner, key, 'FollowUp')).toBe(1);
      expect((await store.pending(owner, key)).map((t) => t.timerId)).toEqual([due.timerId]);
      expect((await store.get(followUp.timerId))?.status).toBe('cancelled');
    });

    it('a handler that cancels its own key (the stage it guarded is left) does not wait for itself: its timer fires, the others are cancelled', async () => {
      const owner = uniqueName('promises-to-pay');
      const key = randomUUID();
      const due = await scheduled(promiseDue(owner, key));
      const followUp = await scheduled({ ...promiseDue(owner, key, later(BREAKS_AT, 60_000)), timerId: timerId(owner, 'FollowUp', key), kind: 'FollowUp' });
      const cancelled: number[] = [];
      // Were the cancel to wait for the handler's row, the lock timeout turns the hang into a failure.
      const service = new PostgresTimerStore({ pool: newPool('timers-test', '-c lock_timeout=2000'), schema: schema.name });
      const timers = poller({ owner, clock: () => new Date(BREAKS_AT), handler: async (timer) => void cancelled.push(await service.cancelByKey(owner, timer.key)) });

      expect(await timers.pollOnce()).toBe(1);

      expect(cancelled).toEqual([1]);
      expect((await store.get(due.timerId))?.status).toBe('fired');
      expect((await store.get(followUp.timerId))?.status).toBe('cancelled');
    });
  });

  describe('a failing handler', () => {
    it('is tried again after the backoff, not before, and then the timer fires once', async () => {
      const timer = await scheduled(promiseDue());
      const clock = manualClock(BREAKS_AT);
      const attempts: number[] = [];
      const effects = new Map<string, number>();
      const timers = poller({
        owner: timer.owner,
        clock: clock.now,
        backoff: { initialMs: 60_000, maxMs: 600_000 },
        handler: async (due) => {
          attempts.push(due.attempt);
          if (due.attempt === 1) throw new Error('NATS request timed out');
          effects.set(due.timerId, (effects.get(due.timerId) ?? 0) + 1);
        },
      });

      expect(await timers.pollOnce()).toBe(0);
      expect(await store.get(timer.timerId)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'Error: NATS request timed out',
        nextAttemptAt: later(BREAKS_AT, 60_000),
      });
      expect(warnings).toEqual([
        `timer ${timer.timerId} (PromiseDue about ${timer.key}) failed on attempt 1: NATS request timed out; next attempt at ${later(BREAKS_AT, 60_000)}`,
      ]);

      clock.advance(60_000 - 1);
      expect(await timers.pollOnce()).toBe(0);
      clock.advance(1);
      expect(await timers.pollOnce()).toBe(1);
      expect(await timers.pollOnce()).toBe(0);

      expect(attempts).toEqual([1, 2]);
      expect([...effects]).toEqual([[timer.timerId, 1]]);
      expect(await store.get(timer.timerId)).toMatchObject({ status: 'fired', attempts: 2, firedAt: later(BREAKS_AT, 60_000) });
    });

    it('backs off exponentially up to the cap, and after maxAttempts the timer is parked, pending, with its last error', async () => {
      const timer = await scheduled(promiseDue());
      const clock = manualClock(BREAKS_AT);
      let calls = 0;
      const timers = poller({
        owner: timer.owner,
        clock: clock.now,
        maxAttempts: 4,
        backoff: { initialMs: 1_000, maxMs: 3_000 },
        handler: async () => {
          calls += 1;
          throw new Error(`refused ${calls}`);
        },
      });
      const nextAttempts: (string | null | undefined)[] = [];
      for (const wait of [0, 1_000, 2_000, 3_000]) {
        clock.advance(wait);
        await timers.pollOnce();
        nextAttempts.push((await store.get(timer.timerId))?.nextAttemptAt);
      }
      // 1 s, 2 s, then 4 s capped at 3 s; the fourth failure parks it.
      expect(nextAttempts).toEqual([later(BREAKS_AT, 1_000), later(BREAKS_AT, 3_000), later(BREAKS_AT, 6_000), null]);

      clock.advance(365 * 86_400_000);
      expect(await timers.pollOnce()).toBe(0);
      expect(calls).toBe(4);
      expect(await store.pending(timer.owner)).toEqual([expect.objectContaining({ timerId: timer.timerId, attempts: 4, lastError: 'Error: refused 4', nextAttemptAt: null })]);
      expect(warnings[3]).toMatch(/failed on attempt 4: refused 4; parked after 4 attempts$/);
    });
  });

  describe('restarts', () => {
    it('a poller stopped before the timer is due: a new poller on a new pool fires it, once', async () => {
      const timer = await scheduled(promiseDue());
      // Due date passed, grace not over: the service restarts in between.
      const clock = manualClock(later(BREAKS_AT, -3_600_000));
      const effects: string[] = [];
      const handler = async (due: DueTimer) => void effects.push(due.timerId);

      let polls = 0;
      const before = poller({ owner: timer.owner, clock: () => (polls++, clock.now()), pollIntervalMs: 5, handler });
      before.start();
      await eventually(() => expect(polls).toBeGreaterThanOrEqual(3));
      await before.stop();

      clock.set(BREAKS_AT);
      const after = poller({ store: new PostgresTimerStore({ pool: newPool(), schema: schema.name }), owner: timer.owner, clock: clock.now, pollIntervalMs: 5, handler });
      after.start();
      await eventually(() => expect(effects).toEqual([timer.timerId]));
      expect(await after.pollOnce()).toBe(0);
      expect(await before.pollOnce()).toBe(0);
      expect(effects).toEqual([timer.timerId]);
    });

    it('stop() waits for the handler in flight, which then completes its claim', async () => {
      const timer = await scheduled(promiseDue());
      const blocked = gate();
      let entered = false;
      const timers = poller({
        owner: timer.owner,
        clock: () => new Date(BREAKS_AT),
        pollIntervalMs: 5,
        handler: async () => {
          entered = true;
          await blocked.promise;
        },
      });
      timers.start();
      let stopped = false;
      let stopping: Promise<unknown> = Promise.resolve();
      try {
        await eventually(() => expect(entered).toBe(true));
        stopping = timers.stop().then(() => (stopped = true));
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(stopped).toBe(false);
      } finally {
        blocked.open();
      }
      await stopping;

      expect((await store.get(timer.timerId))?.status).toBe('fired');
    });

    it('a process whose connection dies mid-handler leaves the timer pending; another poller fires it, once overall', async () => {
      const timer = await scheduled(promiseDue());
      const effects: string[] = [];
      const crashed = gate();
      let entered = false;
      const dyingName = uniqueName('timers-dying');
      const dying = poller({
        store: new PostgresTimerStore({ pool: newPool(dyingName), schema: schema.name }),
        owner: timer.owner,
        clock: () => new Date(BREAKS_AT),
        handler: async (due) => {
          entered = true;
          // The process dies here: its handler never gets to its effect.
          await crashed.promise;
          effects.push(due.timerId);
        },
      });
      const survivor = poller({
        store: new PostgresTimerStore({ pool: newPool(), schema: schema.name }),
        owner: timer.owner,
        clock: () => new Date(later(BREAKS_AT, 1_000)),
        handler: async (due) => void effects.push(due.timerId),
      });

      const dyingPoll = dying.pollOnce();
      dyingPoll.catch(() => undefined);
      try {
        await eventually(() => expect(entered).toBe(true));
        // While the first holds the row, the other does not fire it.
        expect(await survivor.pollOnce()).toBe(0);

        const { rows } = await schema.pool.query<{ killed: boolean }>(
          `select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1 and state = 'idle in transaction'`,
          [dyingName],
        );
        expect(rows).toEqual([{ killed: true }]);

        await eventually(async () => expect(await survivor.pollOnce()).toBe(1));
      } finally {
        // Even when an assertion failed: a handler left blocked would hold its client, and the pool's end, for ever.
        crashed.fail(new Error('the process is gone'));
      }
      // Its poll ends in the lost connection (recording the failure was impossible), not in anything written.
      expect(await rejection(dyingPoll)).toMatchObject({ message: expect.stringMatching(/connection/i) });

      expect(effects).toEqual([timer.timerId]);
      expect(await survivor.pollOnce()).toBe(0);
      // The dead poller recorded nothing: neither the firing nor its failure.
      expect(await store.get(timer.timerId)).toMatchObject({ status: 'fired', attempts: 1, lastError: null, firedAt: later(BREAKS_AT, 1_000) });
    });
  });

  describe('metrics', () => {
    it('shows due timers not yet fired as arrears_timer_backlog, and counts each firing in arrears_timers_fired_total', async () => {
      const telemetry = startTelemetry({ serviceName: 'promises-to-pay', env: {} });
      try {
        const owner = uniqueName('promises-to-pay');
        const clock = manualClock(later(BREAKS_AT, -60_000));
        for (let n = 0; n < 3; n += 1) await scheduled(promiseDue(owner));
        let failing = true;
        const handler = async () => {
          if (failing) throw new Error('the accounts service is away');
        };
        // Built after telemetry started: the backlog gauge is registered on the provider running when it starts.
        const running = poller({ owner, clock: clock.now, handler, pollIntervalMs: 50, backlogMaxAgeMs: 0, backoff: { initialMs: 60_000, maxMs: 60_000 } });
        running.start();
        const scrape = () => telemetry.renderMetrics();

        expect(prometheusSample(await scrape(), 'arrears_timer_backlog', { service: owner })).toBe(0);
        clock.set(BREAKS_AT);
        // Due, and their handler failing: still pending, backing off, so still in the backlog.
        await eventually(() => expect(warnings.filter((warning) => warning.includes('the accounts service is away'))).toHaveLength(3));
        expect(prometheusSample(await scrape(), 'arrears_timer_backlog', { service: owner })).toBe(3);
        expect(prometheusSample(await scrape(), 'arrears_timers_fired_total', { service: owner })).toBeUndefined();

        failing = false;
        clock.advance(60_000);
        await eventually(async () => expect(prometheusSample(await scrape(), 'arrears_timer_backlog', { service: owner })).toBe(0));
        expect(prometheusSample(await scrape(), 'arrears_timers_fired_total', { service: owner, service_name: 'promises-to-pay' })).toBe(3);
      } finally {
        await telemetry.shutdown();
      }
    });
  });

  it('scales out: 3 pollers on 3 pools racing over 200 due timers fire every timer exactly once', async () => {
    const owner = uniqueName('promises-to-pay');
    const timers = Array.from({ length: 200 }, () => promiseDue(owner));
    await Promise.all(timers.map((t) => store.schedule(t)));
    const fired = new Map<string, number>();
    const instances = [0, 1, 2].map(() =>
      poller({
        store: new PostgresTimerStore({ pool: newPool(), schema: schema.name }),
        owner,
        clock: () => new Date(BREAKS_AT),
        batchSize: 20,
        handler: async (due) => {
          fired.set(due.timerId, (fired.get(due.timerId) ?? 0) + 1);
          // A handler takes a moment (a command sent, an answer awaited): the others must not take its timer meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      }),
    );

    const firedBy = await Promise.all(
      instances.map(async (instance) => {
        let total = 0;
        for (let n = await instance.pollOnce(); n > 0; n = await instance.pollOnce()) total += n;
        return total;
      }),
    );

    const twice = [...fired].filter(([, count]) => count > 1);
    expect(twice).toEqual([]);
    expect(fired.size).toBe(200);
    expect(firedBy.reduce((a, b) => a + b, 0)).toBe(200);
    // The work was shared, not done by one while the others waited.
    expect(firedBy.every((n) => n > 0)).toBe(true);
    expect(await store.pending(owner)).toEqual([]);
  });

  describe('bad input', () => {
    it.each([
      ['fireAt', { fireAt: 'tomorrow' }],
      ['fireAt', { fireAt: '2025-02-30T00:00:00Z' }],
      ['fireAt', { fireAt: '2025-03-01' }],
      ['fireAt', { fireAt: '2025-03-01T00:00:00' }],
      ['fireAt', { fireAt: '2025-03-01T00:00:00.1234567Z' }],
      ['owner', { owner: '' }],
      ['owner', { owner: '   ' }],
      ['kind', { kind: '' }],
      ['key', { key: '' }],
      ['timerId', { timerId: 'promise-1' }],
      ['payload', { payload: [] as unknown as Record<string, unknown> }],
      ['payload', { payload: { amount: 10n } }],
    ])('%s %j is VALIDATION_FAILED naming the field, and nothing is written', async (field, change) => {
      const before = await rowCount();

      const error = await rejection(store.schedule({ ...promiseDue(), ...change }));

      expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field });
      expect(await rowCount()).toBe(before);
    });

    it('refuses a poller without an owner, and a bad id or owner in a cancel', async () => {
      expect(() => poller({ owner: '', handler: async () => undefined })).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'owner' }));
      expect(() => poller({ owner: 'x', batchSize: 0, handler: async () => undefined })).toThrow(expect.objectContaining({ field: 'batchSize' }));
      expect(await rejection(store.cancel('42'))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'timerId' });
      expect(await rejection(store.cancelByKey('', 'k'))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'owner' });
      expect(await rejection(store.pending(''))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'owner' });
      expect(await store.get(randomUUID())).toBeUndefined();
    });
  });

  async function scheduled(timer: ScheduleTimer): Promise<ScheduleTimer> {
    expect(await store.schedule(timer)).toBe(true);
    return timer;
  }
});
