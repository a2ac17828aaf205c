/**
 * `npm run bench:bus [-- --quick] [-- --json FILE]` — an event from `appendToStream` to a consumer's handler
 * through the relay and the NestJS JetStream transport, beside the same messages published straight to JetStream
 * and pulled by a bare consumer, in the same run. Everything it makes — a database, two pairs of streams, a relay
 * process, consumers — is removed at the end, also on an error or Ctrl-C. Not a test: a missed target prints
 * MISS; only errors fail. Method and figures: docs/benchmarks.md.
 */
import { cpus, totalmem } from 'node:os';
import { globalPosition, natsTopology, type Topology } from '@arrears/contracts';
import { connectNats, deleteStreams, ensureStreams, natsUrl } from '@arrears/messaging';
import {
  backgroundLoad,
  BenchCleanup,
  createTestDatabase,
  grouped,
  isEndedConnection,
  ms,
  paymentPayloadBytes,
  ServerProbe,
  sourceVersion,
  uniqueName,
  UsageError,
  type TestDatabase,
} from '@arrears/testing';
import type { NatsConnection } from 'nats';
import { relayConfig } from '../src/relay/relay-config';
import { ArrearsPath } from './arrears-path';
import { measureDiagnostics } from './diagnostics';
import { closedLoop, offeredLoad } from './load';
import { parseOptions, USAGE, type BusBenchOptions } from './options';
import { PATH_LABELS, PATHS, type BusPath, type PathId } from './path';
import { RawPath } from './raw-path';
import { report } from './report';
import { BusProbe, localNatsServerPid } from './resources';
import type { BusResults } from './results';
import { drain, runSlice, summarize, type PathFigures, type Slice } from './runner';

const started = performance.now();

function progress(line: string): void {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
}

/** What is measured: the relay, the transport, the store's PostgreSQL adapter, the wire contract and the CLI. */
const MEASURED_SOURCES = [
  'shared/messaging/src',
  'shared/event-store/src/postgres',
  'shared/event-store/src/polling-subscription.ts',
  'contracts/src',
  'cli',
  ':(exclude)*.spec.ts',
];

/** Everything the run made, undone in reverse; each step runs whatever the others did. */
class World {
  database: TestDatabase | undefined;
  nats: NatsConnection | undefined;
  readonly topologies: Topology[] = [];
  readonly paths: BusPath[] = [];
  probe: ServerProbe | undefined;

  async dispose(): Promise<void> {
    for (const path of this.paths.splice(0).reverse()) await path.stop().catch((error: unknown) => progress(`could not stop a path: ${String(error)}`));
    await this.probe?.close().catch(() => undefined);
    if (this.nats !== undefined) {
      const jsm = await this.nats.jetstreamManager().catch(() => undefined);
      if (jsm !== undefined) for (const topology of this.topologies) await deleteStreams(jsm, topology);
      await this.nats.close().catch(() => undefined);
    }
    await this.database?.drop();
  }
}

let cleanup: BenchCleanup | undefined;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const world = new World();
  cleanup = new BenchCleanup(() => world.dispose(), {
    say: progress,
    describe: 'stopping the relay and consumers, deleting the streams, dropping the database',
    isExpected: (error) => isEndedConnection(error) || /connection (closed|draining)|consumer deleted|stream not found|EPIPE|channel closed/i.test(String(error)),
  });
  try {
    const results = await run(options, world);
    report(results, options.jsonFile, progress);
  } finally {
    await cleanup.run();
    progress('cleaned up: no relay, consumer, stream or database of this run is left');
  }
}

async function run(options: BusBenchOptions, world: World): Promise<BusResults> {
  world.database = await createTestDatabase('bench_bus');
  const root = uniqueName('bench_bus');
  const topology = natsTopology(root);
  const rawTopology = natsTopology(`${root}_raw`);
  world.nats = await connectNats('bench:bus setup');
  world.topologies.push(topology, rawTopology);
  const jsm = await world.nats.jetstreamManager();
  // Both pairs with the relay's settings (file storage, 10-minute duplicate window), made before anything uses them.
  for (const each of [topology, rawTopology]) await ensureStreams(jsm, each, {});
  progress(`${options.mode} run: database ${world.database.name}, streams ${topology.eventsStream} (Arrears) and ${rawTopology.eventsStream} (raw)`);

  const server = (world.probe = await ServerProbe.connect(world.database.url));
  const postgres = { ...(await server.info()), roundTripMs: await server.roundTripMs() };
  const idleLoad = await backgroundLoad();
  const natsVersion = world.nats.info?.version ?? 'unknown';
  progress(`${postgres.version.split(' on ')[0]}, round trip p50 ${ms(postgres.roundTripMs)} ms; nats-server ${natsVersion}`);
  if (idleLoad > 0.15) progress(`warning: the machine is ${Math.round(idleLoad * 100)}% busy before the run starts; expect noisy figures`);

  const arrears = await ArrearsPath.start({ databaseUrl: world.database.url, topology, writers: options.maxInFlight, relayPollIntervalMs: options.relayPollIntervalMs, relayMinPollIntervalMs: options.relayMinPollIntervalMs, say: progress });
  world.paths.push(arrears);
  const raw = await RawPath.start(rawTopology);
  world.paths.push(raw);
  const paths: Record<PathId, BusPath> = { arrears, raw };
  await server.disableAutovacuum();
  const natsPid = localNatsServerPid(natsUrl());
  const probe = new BusProbe(server, arrears.relayPid, natsPid);
  if (natsPid === undefined) progress('nats-server does not run on this machine (or was not found): its CPU is not measured');

  progress(`warming up each path for ${options.processWarmupMs / 1000} s (untimed)`);
  for (const id of PATHS) await warmUp(paths[id], options);

  const workloads: BusResults['workloads'][number][] = [];
  for (const [index, workload] of options.workloads.entries()) {
    progress(`${workload.label}: ${options.slices} slices of ${options.sliceMs / 1000} s per path (after ${options.warmupMs / 1000} s warm-up each), alternating`);
    await server.settle();
    const slices: Record<PathId, Slice[]> = { arrears: [], raw: [] };
    for (let round = 0; round < options.slices; round++) {
      const parts: string[] = [];
      for (const id of rotate(PATHS, index + round)) {
        const slice = await runSlice(paths[id], workload, options, probe);
        slices[id].push(slice);
        const sorted = [...slice.latencies].sort((a, b) => a - b);
        parts.push(
          `${id} ${grouped(slice.handledInWindow / slice.windowSeconds)} ev/s handled, p99 ${ms(sorted[Math.ceil(sorted.length * 0.99) - 1] ?? Number.NaN)} ms` +
            (slice.lost > 0 ? `, ${slice.lost} NOT HANDLED` : ''),
        );
        if (slice.lost > 0 && id === 'arrears') progress(`relay output:\n${arrears.relayOutput()}`);
      }
      progress(`  slice ${round + 1} of ${options.slices}: ${parts.join('; ')}`);
    }
    const figures = {} as Record<PathId, PathFigures>;
    for (const id of PATHS) {
      const f = (figures[id] = summarize(slices[id]));
      progress(`  ${PATH_LABELS[id]}: ${grouped(f.handledPerSecond)} ev/s handled, p50 ${ms(f.p50Ms)} ms, p99 ${ms(f.p99Ms)} ms`);
    }
    workloads.push({ workload, figures });
  }

  // The relay's settings as its own parser reads the flags the run gave it.
  const relaySettings = relayConfig({
    ...(options.relayPollIntervalMs === undefined ? {} : { 'poll-interval-ms': String(options.relayPollIntervalMs) }),
    ...(options.relayMinPollIntervalMs === undefined ? {} : { 'min-poll-interval-ms': String(options.relayMinPollIntervalMs) }),
  });
  progress('timing the relay loop\'s parts alone: sequential publishes, an empty poll of the global log');
  const diagnostics = await measureDiagnostics(world.nats.jetstream(), rawTopology, arrears.store, arrears.head ?? globalPosition(0, 0), options.publishProbeEvents);

  return {
    mode: options.mode,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    postgres,
    nats: { version: natsVersion, url: natsUrl(), serverCpuMeasured: natsPid !== undefined },
    backgroundLoadBeforeRun: idleLoad,
    measured: sourceVersion(MEASURED_SOURCES),
    method: {
      processWarmupMs: options.processWarmupMs,
      warmupMs: options.warmupMs,
      sliceMs: options.sliceMs,
      slices: options.slices,
      maxInFlight: options.maxInFlight,
      relayPollIntervalMs: relaySettings.pollIntervalMs,
      relayMinPollIntervalMs: relaySettings.minPollIntervalMs,
      payloadBytes: paymentPayloadBytes(),
    },
    workloads,
    diagnostics,
  };
}

/** Both kinds of load, untimed, then a wait until everything was handled. */
async function warmUp(path: BusPath, options: BusBenchOptions): Promise<void> {
  path.tracker.begin(Number.POSITIVE_INFINITY);
  await offeredLoad(500, options.processWarmupMs / 2, options.maxInFlight, path.send);
  await closedLoop(options.maxInFlight, options.processWarmupMs / 2, path.send);
  if (!(await drain(path, options.drainTimeoutMs))) throw new Error(`The ${path.id} path did not handle its warm-up events within ${options.drainTimeoutMs / 1000} s`);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

main().catch((error: unknown) => {
  if (cleanup?.interrupted) return;
  const detail = error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`bench:bus failed: ${detail}\n`);
  process.exitCode = 1;
});
