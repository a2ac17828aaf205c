/**
 * `npm run bench:audit [-- --quick] [-- --json FILE]` — the audit ledger at size: full verification (`verifyLedger`
 * with the store) beside a raw scan of the ledger's text with SHA-256 in Node and a raw `readAll` of the store, and
 * one case's as-of reconstruction (`eventsOfCase` + `caseStateAt`) at two store sizes. Everything runs in two
 * throwaway schemas on the machine's PostgreSQL, dropped at the end (also on an error or Ctrl-C). Not a test: a
 * missed target prints NOT MET; only errors fail. Method and figures: docs/benchmarks.md.
 *
 * The audit service's package has no library entry (its `main` starts the service), so the ledger and the replay are
 * imported from its sources.
 */
import { createHash, randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import type { EventEnvelope, NewEvent } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import {
  accountPlaced,
  backgroundLoad,
  BenchCleanup,
  CLOCK_TICKS,
  collectGarbage,
  createTestSchema,
  grouped,
  layoutTable,
  median,
  ms,
  parseBenchArguments,
  paymentPosted,
  paymentReceived,
  percentile,
  processesNamed,
  processTicks,
  UsageError,
  writeBenchJson,
  type TestSchema,
} from '@arrears/testing';
import type { Pool } from 'pg';
import { AuditLedger, signerFromEnv, verifyLedger, type LedgerReport } from '../src/ledger';
import { caseStateAt } from '../src/replay';

const USAGE = `Usage: npm run bench:audit -- [--quick] [--json [FILE]]
  --quick        50,000 events in the store and the ledger; 3 passes of each scan; 200 as-of samples per size
  (default)      1,000,000 events; 3 passes of each scan; 500 as-of samples per size
  --json [FILE]  also write every figure as JSON (default: bench-results/audit-<time>.json, git-ignored)
Set DATABASE_URL to use another server than postgres://postgres@127.0.0.1:5432/postgres.`;

interface Options {
  readonly mode: 'quick' | 'full';
  readonly jsonFile: string | undefined;
  /** Events in the store (and the ledger) at the end, the big case's included. */
  readonly events: number;
  /** Timed passes of each scan (verification, raw ledger scan, raw readAll); the figure is their median. */
  readonly passes: number;
  /** As-of reconstructions timed at each store size. */
  readonly asOfSamples: number;
}

/** Events per `appendToStream` call: one case's stream at a time. */
const CASE_EVENTS = 50;
/** Concurrent store writers while loading. */
const WRITERS = 8;
/** Events of the one large case. */
const BIG_CASE_EVENTS = 1_000;
/** Events per `AuditLedger.appendAll` call (one transaction). */
const LEDGER_BATCH = 1_000;
/** Rows per page for every scan: `verifyLedger`'s default page size. */
const PAGE = 5_000;
/** The share of the events loaded when as-of is measured the first time. */
const FIRST_SIZE_SHARE = 0.1;
/** The benchmark's connections name themselves, so that the server's CPU is counted for them alone. */
const APPLICATION_NAME = 'arrears bench:audit';

function parseOptions(argv: readonly string[]): Options | 'help' {
  const args = parseBenchArguments(argv, 'audit', USAGE);
  if (args === 'help') return 'help';
  return args.quick
    ? { mode: 'quick', jsonFile: args.jsonFile, events: 50_000, passes: 3, asOfSamples: 200 }
    : { mode: 'full', jsonFile: args.jsonFile, events: 1_000_000, passes: 3, asOfSamples: 500 };
}

const started = performance.now();
function progress(line: string): void {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
}

let cleanup: BenchCleanup | undefined;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const storeSchema = await createTestSchema('bench_audit_store', { application_name: APPLICATION_NAME });
  const ledgerSchema = await createTestSchema('bench_audit_ledger', { application_name: APPLICATION_NAME });
  const store = new PostgresEventStore({ pool: storeSchema.pool, schema: storeSchema.name });
  cleanup = new BenchCleanup(
    async () => {
      await store.close().catch(() => undefined);
      await storeSchema.drop();
      await ledgerSchema.drop();
    },
    { say: progress, describe: 'dropping the benchmark schemas' },
  );
  progress(`${options.mode} run: ${grouped(options.events)} events, schemas ${storeSchema.name} and ${ledgerSchema.name}`);
  try {
    const results = await run(options, store, storeSchema, ledgerSchema);
    process.stdout.write(`${reportText(results)}\n`);
    if (options.jsonFile !== undefined) {
      writeBenchJson(options.jsonFile, results);
      progress(`figures written to ${options.jsonFile}`);
    }
  } finally {
    await cleanup.run();
    progress(`dropped schemas ${storeSchema.name} and ${ledgerSchema.name}`);
  }
}

interface AsOfFigures {
  readonly storeEvents: number;
  readonly caseEvents: number;
  readonly samples: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Of the whole: reading the case's entries (`eventsOfCase`), and folding them (`caseStateAt`). */
  readonly readP50Ms: number;
  readonly foldP50Ms: number;
}

interface ScanFigures {
  readonly eventsPerSecond: number;
  /** Every pass's rate, in the order run. */
  readonly passes: readonly number[];
  /** CPU of this Node process per event (median pass): near the wall time per event means Node is the limit. */
  readonly clientMicrosPerEvent: number;
  readonly wallMicrosPerEvent: number;
  /**
   * CPU of the PostgreSQL backends serving the benchmark per event (median pass), when the server runs on this
   * machine: with the client's, what one event costs the two cores they share.
   */
  readonly serverMicrosPerEvent: number | undefined;
}

interface Results {
  readonly mode: Options['mode'];
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly node: string };
  /** Share of all cores busy in the second before the run: other work on the machine moves every figure. */
  readonly backgroundLoadBeforeRun: number;
  readonly postgres: string;
  readonly events: number;
  readonly cases: number;
  readonly load: { readonly storeEventsPerSecond: number; readonly ledgerEventsPerSecond: number; readonly storeSeconds: number; readonly ledgerSeconds: number };
  readonly verify: ScanFigures & { readonly ok: boolean; readonly entriesChecked: number; readonly storeEventsChecked: number; readonly caseEntriesChecked: number; readonly checkpointsChecked: number };
  readonly rawLedgerScan: ScanFigures;
  readonly rawStoreReadAll: ScanFigures;
  /** verify ÷ raw ledger scan: the target is at least 0.5. */
  readonly ratioToRawLedgerScan: number;
  readonly targetMet: boolean;
  readonly asOf: readonly AsOfFigures[];
}

async function run(options: Options, store: PostgresEventStore, storeSchema: TestSchema, ledgerSchema: TestSchema): Promise<Results> {
  const idleLoad = await backgroundLoad();
  const postgres = (await storeSchema.pool.query<{ version: string }>('select version()')).rows[0]?.version.split(' on ')[0] ?? 'unknown';
  await store.migrate();
  const signer = signerFromEnv({ NODE_ENV: 'test' });
  const ledger = new AuditLedger({ pool: ledgerSchema.pool, schema: ledgerSchema.name, signer });
  await ledger.migrate();
  await disableAutovacuum(storeSchema);
  await disableAutovacuum(ledgerSchema);

  const bigCase = randomUUID();
  const loader = new Loader(store, options.events, bigCase);
  const feeder = new LedgerFeeder(store, ledger);
  const asOf: AsOfFigures[] = [];
  const firstSize = Math.max(BIG_CASE_EVENTS + CASE_EVENTS, Math.round(options.events * FIRST_SIZE_SHARE));
  for (const size of [firstSize, options.events]) {
    progress(`loading the store to ${grouped(size)} events (${WRITERS} writers, ${CASE_EVENTS} events of one case per append)`);
    await loader.loadTo(size);
    progress(`store: ${grouped(loader.loaded)} events, ${grouped(loader.storeEventsPerSecond())} events/s; feeding the ledger (appendAll of ${grouped(LEDGER_BATCH)})`);
    await feeder.feed((count, rate) => progress(`  ledger: ${grouped(count)} events, ${grouped(rate)} events/s`));
    progress(`ledger: ${grouped(feeder.fed)} events, ${grouped(feeder.eventsPerSecond())} events/s overall`);
    await ledger.checkpoint();
    await vacuum(storeSchema);
    await vacuum(ledgerSchema);
    progress(`as-of of the ${grouped(BIG_CASE_EVENTS)}-event case at ${grouped(loader.loaded)} events: ${options.asOfSamples} samples`);
    asOf.push(await measureAsOf(ledger, bigCase, loader.loaded, options.asOfSamples));
  }

  const publicKeys = [signer.publicKey];
  let lastReport: LedgerReport | undefined;
  const scans = {
    verify: async () => {
      lastReport = await verifyLedger({ ledger, store, publicKeys, requireComplete: true });
      return lastReport.entriesChecked;
    },
    rawLedgerScan: () => rawLedgerScan(ledgerSchema),
    rawStoreReadAll: () => rawReadAll(store),
  } as const;
  const names = Object.keys(scans) as (keyof typeof scans)[];
  const serverCpu = new ServerCpu(ledgerSchema.pool);
  const timed: Record<keyof typeof scans, { rate: number; cpu: number; wall: number; server: number | undefined }[]> = { verify: [], rawLedgerScan: [], rawStoreReadAll: [] };
  // One untimed pass of each first, so the JIT and the buffer cache are warm for all three.
  for (const name of names) await scans[name]();
  for (let pass = 0; pass < options.passes; pass++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(pass + k) % names.length] as keyof typeof scans;
      collectGarbage();
      const serverBefore = await serverCpu.snapshot();
      const cpuBefore = process.cpuUsage();
      const t0 = performance.now();
      const count = await scans[name]();
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpuBefore);
      const server = await serverCpu.since(serverBefore);
      if (count !== options.events) throw new Error(`${name} read ${count} events of ${options.events}`);
      timed[name].push({ rate: (count / wall) * 1000, cpu: (cpu.user + cpu.system) / count, wall: (wall * 1000) / count, server: server === undefined ? undefined : server / count });
      progress(`${name} pass ${pass + 1}: ${grouped((count / wall) * 1000)} events/s`);
    }
  }
  const figures = (name: keyof typeof scans): ScanFigures => {
    const runs = timed[name];
    const middle = [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)] as (typeof runs)[number];
    return {
      eventsPerSecond: median(runs.map((r) => r.rate)),
      passes: runs.map((r) => r.rate),
      clientMicrosPerEvent: middle.cpu,
      wallMicrosPerEvent: middle.wall,
      serverMicrosPerEvent: middle.server,
    };
  };
  const report = lastReport as LedgerReport;
  const verify = figures('verify');
  const rawLedger = figures('rawLedgerScan');
  const ratio = verify.eventsPerSecond / rawLedger.eventsPerSecond;
  return {
    mode: options.mode,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    backgroundLoadBeforeRun: idleLoad,
    postgres,
    events: options.events,
    cases: loader.cases + 1,
    load: { storeEventsPerSecond: loader.storeEventsPerSecond(), ledgerEventsPerSecond: feeder.eventsPerSecond(), storeSeconds: loader.seconds, ledgerSeconds: feeder.seconds },
    verify: {
      ...verify,
      ok: report.ok,
      entriesChecked: report.entriesChecked,
      storeEventsChecked: report.storeEventsChecked,
      caseEntriesChecked: report.caseEntriesChecked,
      checkpointsChecked: report.checkpointsChecked,
    },
    rawLedgerScan: rawLedger,
    rawStoreReadAll: figures('rawStoreReadAll'),
    ratioToRawLedgerScan: ratio,
    targetMet: report.ok && ratio >= 0.5,
    asOf,
  };
}

/**
 * Fills the store through `appendToStream`: cases of `CASE_EVENTS` payments each, one append per case, from
 * `WRITERS` concurrent loops; the big case's account (an AccountPlaced and 999 PaymentPosted, whose balances the
 * replay folds) is spread in appends of `CASE_EVENTS` over the first load, so it is whole at the first size.
 */
class Loader {
  loaded = 0;
  cases = 0;
  seconds = 0;
  private bigWritten = 0;
  private sequence = 0;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly total: number,
    private readonly bigCase: string,
  ) {}

  storeEventsPerSecond(): number {
    return this.loaded / this.seconds;
  }

  async loadTo(target: number): Promise<void> {
    const t0 = performance.now();
    const bigEvery = Math.max(1, Math.floor((target - this.loaded - (BIG_CASE_EVENTS - this.bigWritten)) / Math.max(1, Math.ceil((BIG_CASE_EVENTS - this.bigWritten) / CASE_EVENTS)) / CASE_EVENTS));
    let appends = 0;
    const next = (): { stream: string; events: NewEvent[] } | undefined => {
      const left = target - this.loaded;
      if (left <= 0) return undefined;
      appends += 1;
      if (this.bigWritten < BIG_CASE_EVENTS && (appends % bigEvery === 0 || left <= BIG_CASE_EVENTS - this.bigWritten)) {
        const count = Math.min(CASE_EVENTS, BIG_CASE_EVENTS - this.bigWritten, left);
        const events = Array.from({ length: count }, (_, i) => this.bigCaseEvent(this.bigWritten + i));
        this.bigWritten += count;
        this.loaded += count;
        return { stream: `account-${this.bigCase}`, events };
      }
      const count = Math.min(CASE_EVENTS, left - (BIG_CASE_EVENTS - this.bigWritten));
      if (count <= 0) return this.loaded < target ? next() : undefined;
      const caseId = randomUUID();
      this.cases += 1;
      this.loaded += count;
      const occurredAt = new Date().toISOString();
      const events = Array.from({ length: count }, () => {
        const event = paymentReceived(occurredAt, this.sequence++);
        return { ...event, data: { ...event.data, accountId: caseId }, metadata: { ...event.metadata, caseId } };
      });
      return { stream: `account-${caseId}`, events };
    };
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let job = next(); job !== undefined; job = next()) {
          await this.store.appendToStream(job.stream, job.events, { expectedVersion: 'any' });
        }
      }),
    );
    this.seconds += (performance.now() - t0) / 1000;
    if (this.loaded > this.total) throw new Error(`loaded ${this.loaded} events, more than ${this.total}`);
  }

  private bigCaseEvent(index: number): NewEvent {
    if (index === 0) return accountPlaced(this.bigCase);
    const day = new Date(Date.UTC(2026, 11, 1) + index * 3_600_000).toISOString().slice(0, 10);
    return paymentPosted(this.bigCase, { reference: `BIG-${index}`, minor: 50, receivedOn: day, principalAfter: 80_000 - 50 * index });
  }
}

/**
 * Feeds the ledger every store event it has not seen, in the store's global order, through `AuditLedger.appendAll`
 * (the catch-up path; the consumer calls `append` one event at a time), reading the next page while one is appended.
 */
class LedgerFeeder {
  fed = 0;
  seconds = 0;
  private after: EventEnvelope['globalPosition'] | undefined;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly ledger: AuditLedger,
  ) {}

  eventsPerSecond(): number {
    return this.fed / this.seconds;
  }

  async feed(say: (fed: number, eventsPerSecond: number) => void): Promise<void> {
    const t0 = performance.now();
    const read = (after: EventEnvelope['globalPosition'] | undefined) => this.store.readAll({ ...(after === undefined ? {} : { after }), maxCount: PAGE });
    let page = await read(this.after);
    const fedBefore = this.fed;
    let lastSaid = this.fed;
    while (page.length > 0) {
      this.after = (page[page.length - 1] as EventEnvelope).globalPosition;
      const following = read(this.after);
      for (let i = 0; i < page.length; i += LEDGER_BATCH) await this.ledger.appendAll(page.slice(i, i + LEDGER_BATCH));
      this.fed += page.length;
      if (this.fed - lastSaid >= 100_000) {
        say(this.fed, (this.fed - fedBefore) / ((performance.now() - t0) / 1000));
        lastSaid = this.fed;
      }
      page = await following;
    }
    this.seconds += (performance.now() - t0) / 1000;
  }
}

/**
 * CPU time of the PostgreSQL backends that serve the benchmark's pools (those connected as `APPLICATION_NAME`), from
 * /proc: undefined when the server runs elsewhere. A backend that starts during a pass counts from its start; one
 * that ends during it is lost (pools keep theirs open while they are used).
 */
class ServerCpu {
  constructor(private readonly pool: Pool) {}

  async snapshot(): Promise<Map<number, number>> {
    const { rows } = await this.pool.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [APPLICATION_NAME]);
    // A pid of another machine's server may name some other process here: count only PostgreSQL's.
    const local = new Set(processesNamed('postgres').map((found) => found.pid));
    return processTicks(rows.map((row) => row.pid).filter((pid) => local.has(pid)));
  }

  /** Microseconds of server CPU since `before`. */
  async since(before: Map<number, number>): Promise<number | undefined> {
    const after = await this.snapshot();
    if (after.size === 0) return undefined;
    let ticks = 0;
    for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
    return (ticks / CLOCK_TICKS) * 1e6;
  }
}

/** The floor for verification's ledger read: the stored text by seq in pages, SHA-256 of each row, nothing else. */
async function rawLedgerScan(schema: TestSchema): Promise<number> {
  let after = 0;
  let count = 0;
  for (;;) {
    const { rows } = await schema.pool.query<[string, string]>({
      name: 'bench-raw-ledger-scan',
      text: `select seq, envelope from "${schema.name}".entries where seq > $1 order by seq limit $2`,
      values: [after, PAGE],
      rowMode: 'array',
    });
    if (rows.length === 0) return count;
    for (const [, envelope] of rows) createHash('sha256').update(envelope, 'utf8').digest();
    count += rows.length;
    after = Number((rows[rows.length - 1] as [string, string])[0]);
  }
}

/** What verification must also read: the store's whole global log, through its own `readAll`, in pages of the same size. */
async function rawReadAll(store: PostgresEventStore): Promise<number> {
  let after: EventEnvelope['globalPosition'] | undefined;
  let count = 0;
  for (;;) {
    const events = await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: PAGE });
    if (events.length === 0) return count;
    count += events.length;
    after = (events[events.length - 1] as EventEnvelope).globalPosition;
  }
}

/** The audit CLI's `as-of`: the case's whole chain from the ledger, folded as of a random instant within its history. */
async function measureAsOf(ledger: AuditLedger, caseId: string, storeEvents: number, samples: number): Promise<AsOfFigures> {
  const all = await ledger.eventsOfCase(caseId);
  if (all.length !== BIG_CASE_EVENTS) throw new Error(`the big case has ${all.length} events in the ledger, not ${BIG_CASE_EVENTS}`);
  const from = Date.parse((all[0] as EventEnvelope).recordedAt);
  const to = Date.parse((all[all.length - 1] as EventEnvelope).recordedAt);
  for (let i = 0; i < 20; i++) caseStateAt(await ledger.eventsOfCase(caseId), new Date(to).toISOString());
  const totals: number[] = [];
  const reads: number[] = [];
  const folds: number[] = [];
  collectGarbage();
  for (let i = 0; i < samples; i++) {
    const at = new Date(from + Math.random() * (to - from + 1)).toISOString();
    const t0 = performance.now();
    const events = await ledger.eventsOfCase(caseId);
    const t1 = performance.now();
    caseStateAt(events, at);
    const t2 = performance.now();
    totals.push(t2 - t0);
    reads.push(t1 - t0);
    folds.push(t2 - t1);
  }
  return { storeEvents, caseEvents: all.length, samples, p50Ms: percentile(totals, 0.5), p99Ms: percentile(totals, 0.99), readP50Ms: percentile(reads, 0.5), foldP50Ms: percentile(folds, 0.5) };
}

async function tablesOf(schema: TestSchema): Promise<string[]> {
  const { rows } = await schema.pool.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1', [schema.name]);
  return rows.map((row) => `"${schema.name}"."${row.tablename}"`);
}

/** Autovacuum would start on whichever table crossed its threshold, in the middle of some pass; VACUUM runs between phases instead. */
async function disableAutovacuum(schema: TestSchema): Promise<void> {
  for (const table of await tablesOf(schema)) await schema.pool.query(`alter table ${table} set (autovacuum_enabled = false)`);
}

async function vacuum(schema: TestSchema): Promise<void> {
  for (const table of await tablesOf(schema)) await schema.pool.query(`vacuum (analyze) ${table}`);
}

function reportText(r: Results): string {
  const rate = (f: ScanFigures) => `${grouped(f.eventsPerSecond)} ev/s`;
  const cpuShare = (f: ScanFigures) => `${Math.round((f.clientMicrosPerEvent / f.wallMicrosPerEvent) * 100)}%`;
  const server = (f: ScanFigures) => (f.serverMicrosPerEvent === undefined ? '' : `, ${f.serverMicrosPerEvent.toFixed(1)} PostgreSQL CPU`);
  const perEvent = (f: ScanFigures) => `${f.wallMicrosPerEvent.toFixed(1)} µs/ev wall, ${f.clientMicrosPerEvent.toFixed(1)} Node CPU (${cpuShare(f)})${server(f)}`;
  const verdict = r.targetMet ? 'MET' : 'NOT MET';
  const serialFloor = 1 / (1 / r.rawLedgerScan.eventsPerSecond + 1 / r.rawStoreReadAll.eventsPerSecond);
  const scanTable = layoutTable([
    ['measurement', `rate (median of ${r.verify.passes.length})`, 'per event', 'verify ÷ this'],
    ['verifyLedger, with the store', rate(r.verify), perEvent(r.verify), '1.00×'],
    ['raw ledger scan + SHA-256 (baseline)', rate(r.rawLedgerScan), perEvent(r.rawLedgerScan), `${(r.verify.eventsPerSecond / r.rawLedgerScan.eventsPerSecond).toFixed(2)}×`],
    ['raw store readAll', rate(r.rawStoreReadAll), perEvent(r.rawStoreReadAll), `${(r.verify.eventsPerSecond / r.rawStoreReadAll.eventsPerSecond).toFixed(2)}×`],
    ['both raw reads one after the other', `${grouped(serialFloor)} ev/s`, '', `${(r.verify.eventsPerSecond / serialFloor).toFixed(2)}×`],
  ]);
  const asOfTable = layoutTable([
    ['store size', 'case events', 'samples', 'p50 ms', 'p99 ms', 'p50 read (eventsOfCase)', 'p50 fold (caseStateAt)'],
    ...r.asOf.map((a) => [`${grouped(a.storeEvents)} events`, grouped(a.caseEvents), String(a.samples), ms(a.p50Ms), ms(a.p99Ms), ms(a.readP50Ms), ms(a.foldP50Ms)]),
  ]);
  const [small, large] = r.asOf as [AsOfFigures, AsOfFigures];
  const limits: string[] = [];
  const verifyShare = r.verify.clientMicrosPerEvent / r.verify.wallMicrosPerEvent;
  const verifyServer = r.verify.serverMicrosPerEvent;
  const cores = r.machine.cpus;
  if (verifyServer !== undefined) {
    const both = r.verify.clientMicrosPerEvent + verifyServer;
    const budget = 2 * r.rawLedgerScan.wallMicrosPerEvent * cores;
    limits.push(
      `- The machine's ${cores} cores: verification costs ${r.verify.clientMicrosPerEvent.toFixed(1)} µs of Node CPU (its thread and the garbage collector's) and ${verifyServer.toFixed(1)} µs of PostgreSQL CPU per event, ${both.toFixed(1)} µs in all — at least ${(both / cores).toFixed(1)} µs of wall time per event if they kept every core busy (measured: ${r.verify.wallMicrosPerEvent.toFixed(1)}). Half the baseline's rate leaves ${(2 * r.rawLedgerScan.wallMicrosPerEvent).toFixed(1)} µs of wall time, ${budget.toFixed(1)} µs of CPU on ${cores} cores, per event.`,
    );
    limits.push(
      `- Serving verification's three reads (entries with their derived columns, case chains joined to their entries, the store's log with its jsonb written out as text) costs PostgreSQL ${verifyServer.toFixed(1)} µs per event, against ${(r.rawLedgerScan.serverMicrosPerEvent ?? 0).toFixed(1)} for the raw scan's and ${(r.rawStoreReadAll.serverMicrosPerEvent ?? 0).toFixed(1)} for a raw readAll's.`,
    );
  } else {
    limits.push(
      verifyShare > 0.8
        ? `- Verification is bound by this process: ${r.verify.clientMicrosPerEvent.toFixed(1)} µs of Node CPU per event of ${r.verify.wallMicrosPerEvent.toFixed(1)} µs wall (${cpuShare(r.verify)}), while the raw scan only hashes (${r.rawLedgerScan.clientMicrosPerEvent.toFixed(1)} µs/ev). (PostgreSQL's CPU is not measured: the server is not on this machine.)`
        : `- Verification spends ${cpuShare(r.verify)} of its wall time on Node CPU (${r.verify.clientMicrosPerEvent.toFixed(1)} of ${r.verify.wallMicrosPerEvent.toFixed(1)} µs/ev); the rest is waiting for PostgreSQL's pages (three reads side by side: entries, case chains, the store's log).`,
    );
  }
  limits.push(
    `- It reads about three times what the baseline reads: the entries, every case entry (${grouped(r.verify.caseEntriesChecked)}) and the store's whole log — the readAll alone runs at ${grouped(r.rawStoreReadAll.eventsPerSecond)} ev/s, so even a verifier doing nothing but the two raw reads one after the other would reach ${grouped(serialFloor)} ev/s.`,
  );
  limits.push(
    `- As-of of one case reads only that case's chain (primary key (case_id, case_seq), joined to entries by seq): p50 ${ms(small.p50Ms)} ms at ${grouped(small.storeEvents)} events, ${ms(large.p50Ms)} ms at ${grouped(large.storeEvents)} (${(large.p50Ms / small.p50Ms).toFixed(2)}×). Of it, reading and decoding the ${grouped(large.caseEvents)} rows is ${ms(large.readP50Ms)} ms and folding them ${ms(large.foldP50Ms)} ms.`,
  );
  limits.push(
    `- Filling: the store took ${grouped(r.load.storeEventsPerSecond)} ev/s (appendToStream, ${CASE_EVENTS} events per call, ${WRITERS} writers); the ledger ${grouped(r.load.ledgerEventsPerSecond)} ev/s through appendAll of ${grouped(LEDGER_BATCH)} — one plpgsql call computing both chains row by row under the ledger's lock, so one writer at a time by design.`,
  );
  return [
    '',
    `bench:audit (${r.mode}) — ${grouped(r.events)} events over ${grouped(r.cases)} cases; ${r.postgres}; ${r.machine.cpus} CPUs, Node ${r.machine.node}`,
    `filled in ${r.load.storeSeconds.toFixed(1)} s (store) + ${r.load.ledgerSeconds.toFixed(1)} s (ledger); the machine was ${Math.round(r.backgroundLoadBeforeRun * 100)}% busy before the run`,
    '',
    scanTable,
    '',
    `verification: ${r.verify.ok ? 'ok' : 'PROBLEMS FOUND'} — ${grouped(r.verify.entriesChecked)} entries, ${grouped(r.verify.caseEntriesChecked)} case entries, ${grouped(r.verify.storeEventsChecked)} store events, ${r.verify.checkpointsChecked} checkpoints`,
    `target: verifyLedger ≥ 0.5 × the raw ledger scan: ${r.ratioToRawLedgerScan.toFixed(2)}× — ${verdict}`,
    '',
    asOfTable,
    '',
    'What limits it',
    ...limits,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  if (cleanup?.interrupted) return;
  const detail = error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`bench:audit failed: ${detail}\n`);
  process.exitCode = 1;
});
