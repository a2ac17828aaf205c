/**
 * `npm run bench:store [-- --quick] [-- --json FILE]` — the PostgreSQL adapter beside its floor (raw inserts
 * and a raw scan) and a peer (Emmett's PostgreSQL event store), on the same server, in the same process, in a
 * database of its own that is dropped at the end. Not a test: a missed target prints MISS; only errors fail.
 * Method and figures: docs/benchmarks.md.
 */
import { cpus, totalmem } from 'node:os';
import { backgroundLoad, BenchCleanup, createTestDatabase, ms, paymentPayloadBytes, ServerProbe, sourceVersion, UsageError } from '@arrears/testing';
import type { PoolSettings } from './contender';
import { KINDS, measureReplays, measureWorkload, warmUp } from './interleaved';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { report } from './report';
import { CONTENDERS, type BenchResults } from './results';
const started = performance.now();

function progress(line: string): void {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const database = await createTestDatabase('bench_store');
  cleanup = new BenchCleanup(() => database.drop(), { say: progress, describe: 'dropping the benchmark database' });
  progress(`${options.mode} run in database ${database.name}`);
  try {
    const results = await run(options, database.url);
    report(results, options.jsonFile, progress);
  } finally {
    await cleanup.run();
    progress(`dropped database ${database.name}`);
  }
}

let cleanup: BenchCleanup | undefined;

async function run(options: BenchOptions, url: string): Promise<BenchResults> {
  const probe = await ServerProbe.connect(url);
  try {
    const settings: PoolSettings = { url, max: options.poolSize };
    const server = await probe.info();
    const roundTripMs = await probe.roundTripMs();
    const idleLoad = await backgroundLoad();
    progress(`${server.version.split(' on ')[0]}; round trip p50 ${ms(roundTripMs)} ms; pools of ${options.poolSize} connections`);
    if (idleLoad > 0.15) progress(`warning: the machine is ${Math.round(idleLoad * 100)}% busy before the run starts; expect noisy figures`);
    for (const id of CONTENDERS) await KINDS[id].setUp(url);
    await probe.disableAutovacuum();
    await warmUp(options, settings, progress);

    const appends: BenchResults['appends'][number][] = [];
    for (const [index, workload] of options.workloads.entries()) {
      progress(`${workload.label}: ${options.slices} slices of ${options.sliceMs / 1000} s per contender, interleaved`);
      appends.push({ workload, figures: await measureWorkload(workload, index, options, settings, probe, progress) });
    }

    const replay = await measureReplays(options, settings, probe, progress);
    return {
      mode: options.mode,
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
      postgres: { ...server, roundTripMs },
      backgroundLoadBeforeRun: idleLoad,
      adapter: sourceVersion(ADAPTER_SOURCES),
      method: {
        poolSize: options.poolSize,
        processWarmupMs: options.processWarmupMs,
        warmupMs: options.warmupMs,
        sliceMs: options.sliceMs,
        slices: options.slices,
        pageSize: options.pageSize,
        replayPasses: options.replayPasses,
        payloadBytes: paymentPayloadBytes(),
      },
      appends,
      replay,
    };
  } finally {
    await probe.close();
  }
}

/** What the PostgreSQL adapter's behaviour depends on: changes elsewhere (the other adapters, tests) do not matter here. */
const ADAPTER_SOURCES = [
  'shared/event-store/src/postgres/*.ts',
  ':(exclude)shared/event-store/src/postgres/*.spec.ts',
  'shared/event-store/src/append-input.ts',
  'shared/event-store/src/port.ts',
  'contracts/src',
];

main().catch((error: unknown) => {
  if (cleanup?.interrupted) return;
  const detail = error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`bench:store failed: ${detail}\n`);
  process.exitCode = 1;
});
