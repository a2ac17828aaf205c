import { collectGarbage, median, newAccountStreamId, newPayments, percentile, type ResourceUse, type ServerProbe } from '@arrears/testing';
import type { Contender, ContenderKind, PoolSettings } from './contender';

export interface AppendWorkload {
  readonly id: string;
  readonly label: string;
  readonly writers: number;
  readonly eventsPerAppend: number;
}

export interface AppendFigures {
  readonly appends: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Latency of one append call (one event, or one batch), in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly resources: ResourceUse;
  /** Every slice's rate, in the order they ran. */
  readonly sliceEventsPerSecond: readonly number[];
}

export interface ReplayFigures {
  /** Events the replay delivered, and how many the log holds: a reader that skips shows it here. */
  readonly eventsRead: number;
  readonly eventsInLog: number;
  readonly passes: number;
  /** All passes together. */
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly resources: ResourceUse;
  readonly passEventsPerSecond: readonly number[];
}

export interface Timing {
  /** Before every slice, on the slice's fresh pool. */
  readonly warmupMs: number;
  readonly sliceMs: number;
}

/** Opens a fresh pool for the contender, runs `work` on it and always closes it again. */
export async function withContender<T>(kind: ContenderKind, settings: PoolSettings, work: (contender: Contender) => Promise<T>): Promise<T> {
  const contender = await kind.open(settings);
  try {
    return await work(contender);
  } finally {
    await contender.close();
  }
}

/** One timed slice of a workload for one contender: what it did and what it cost. */
export interface AppendSlice {
  readonly latencies: number[];
  readonly seconds: number;
  readonly resources: ResourceUse;
}

/**
 * The one runner all three contenders go through: `writers` concurrent loops, each appending fresh events to a
 * new stream until the slice is over, on a fresh pool warmed up first (connections open, statements prepared,
 * plpgsql plans cached). The pool closes before the WAL flush count is read: backends report it as they exit.
 */
export async function appendSlice(kind: ContenderKind, workload: AppendWorkload, settings: PoolSettings, timing: Timing, probe: ServerProbe): Promise<AppendSlice> {
  const contender = await kind.open(settings);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= contender.close());
  try {
    await drive(contender, workload, timing.warmupMs);
    collectGarbage();
    const span = await probe.begin();
    const figures = await drive(contender, workload, timing.sliceMs);
    return { ...figures, resources: await span.end(close) };
  } finally {
    await close();
  }
}

/**
 * Runs every code path once before anything is timed, so V8's compiler has done its work on all three clients
 * before the first slice — otherwise the first workload charges it to whichever contender has the most code.
 */
export async function warmUpProcess(kind: ContenderKind, settings: PoolSettings, ms: number): Promise<void> {
  await withContender(kind, settings, async (contender) => {
    await drive(contender, { id: 'warm-up', label: 'warm-up', writers: 8, eventsPerAppend: 1 }, ms / 2);
    await drive(contender, { id: 'warm-up', label: 'warm-up', writers: 1, eventsPerAppend: 100 }, ms / 2);
    await contender.replay(100, 5);
  });
}

async function drive(contender: Contender, workload: AppendWorkload, durationMs: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  const writer = async () => {
    while (performance.now() < deadline) {
      const events = newPayments(workload.eventsPerAppend);
      const streamId = newAccountStreamId();
      const start = performance.now();
      await contender.append(streamId, events);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: workload.writers }, writer));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/**
 * One contender's figures for a workload: the median slice's rate — the machine is shared, and a slice that
 * happened to run alone, or beside someone's test suite, should move the figure neither way — with the latency
 * percentiles and the resource use of all its slices together.
 */
export function summarize(slices: readonly AppendSlice[], workload: AppendWorkload): AppendFigures {
  const rates = slices.map((slice) => (slice.latencies.length * workload.eventsPerAppend) / slice.seconds);
  const latencies = slices.flatMap((slice) => slice.latencies);
  return {
    appends: latencies.length,
    events: latencies.length * workload.eventsPerAppend,
    seconds: slices.reduce((sum, slice) => sum + slice.seconds, 0),
    eventsPerSecond: median(rates),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    resources: addUp(slices.map((slice) => slice.resources)),
    sliceEventsPerSecond: rates,
  };
}

function addUp(uses: readonly ResourceUse[]): ResourceUse {
  const sum = (pick: (use: ResourceUse) => number) => uses.reduce((total, use) => total + pick(use), 0);
  const wallSeconds = sum((use) => use.wallSeconds);
  return {
    wallSeconds,
    clientCpuSeconds: sum((use) => use.clientCpuSeconds),
    serverCpuSeconds: sum((use) => use.serverCpuSeconds),
    otherCpuSeconds: sum((use) => use.otherCpuSeconds),
    machineBusy: sum((use) => use.machineBusy * use.wallSeconds) / wallSeconds,
    walBytes: sum((use) => use.walBytes),
    walSyncs: sum((use) => use.walSyncs),
  };
}

/** Tops the contender's log up to `target` events with batch appends of 500 (2 writers: one per core). */
export async function seedLog(kind: ContenderKind, settings: PoolSettings, target: number, progress: (line: string) => void): Promise<void> {
  await withContender(kind, settings, async (contender) => {
    let missing = target - (await contender.countEvents());
    const total = missing;
    let lastReport = performance.now();
    const writer = async () => {
      while (missing > 0) {
        const size = Math.min(SEED_BATCH, missing);
        missing -= size;
        await contender.append(newAccountStreamId(), newPayments(size));
        if (performance.now() - lastReport > 2_000) {
          lastReport = performance.now();
          progress(`  seeding ${kind.label}: ${(total - Math.max(0, missing)).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events`);
        }
      }
    };
    await Promise.all([writer(), writer()]);
  });
}

const SEED_BATCH = 500;

export interface ReplayPass {
  readonly read: number;
  /** Events in the log when the pass started. */
  readonly inLog: number;
  readonly seconds: number;
  readonly resources: ResourceUse;
}

/** One timed read of the whole global log, after a one-page warm-up on a fresh pool. */
export async function replayPass(kind: ContenderKind, settings: PoolSettings, pageSize: number, probe: ServerProbe): Promise<ReplayPass> {
  return withContender(kind, settings, async (contender) => {
    const inLog = await contender.countEvents();
    await contender.replay(pageSize, 1);
    collectGarbage();
    const span = await probe.begin();
    const start = performance.now();
    const read = await contender.replay(pageSize);
    const seconds = (performance.now() - start) / 1000;
    return { read, inLog, seconds, resources: await span.end() };
  });
}

/** The median pass's rate (of two passes, their mean), and the resource use of all passes together. */
export function summarizePasses(passes: readonly ReplayPass[]): ReplayFigures {
  const [first] = passes;
  if (first === undefined) throw new Error('no replay pass was run');
  const rates = passes.map((pass) => pass.read / pass.seconds);
  return {
    eventsRead: first.read,
    eventsInLog: first.inLog,
    passes: passes.length,
    seconds: passes.reduce((sum, pass) => sum + pass.seconds, 0),
    eventsPerSecond: median(rates),
    resources: addUp(passes.map((pass) => pass.resources)),
    passEventsPerSecond: rates,
  };
}
