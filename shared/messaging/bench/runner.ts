import { collectGarbage, median, percentile } from '@arrears/testing';
import { closedLoop, offeredLoad } from './load';
import type { BusBenchOptions, Workload } from './options';
import { collectHandled, type BusPath } from './path';
import { addUp, type BusProbe, type BusResourceUse } from './resources';
import { now, type EventTrace } from './tracker';

/**
 * Where an event's time goes, in milliseconds:
 * - `write`: the append committed (Arrears) / JetStream stored the message (raw), from just before the call;
 * - `visible`: from the commit until the global log shows it to a reader — every transaction that took an id
 *   before it has ended (estimated from the benchmark's own appends: a lower bound);
 * - `relay`: from then until JetStream stored it — the relay's wait for its next poll, the page read and the
 *   publishes ahead of it in the page;
 * - `deliver`: from JetStream's store to the handler.
 */
export type Stage = 'write' | 'visible' | 'relay' | 'deliver';
export const STAGES: readonly Stage[] = ['write', 'visible', 'relay', 'deliver'];

export interface Slice {
  readonly windowSeconds: number;
  /** Events sent (started) in the measured window. */
  readonly sent: number;
  /** Events handled in the measured window, whenever they were sent. */
  readonly handledInWindow: number;
  /** Open loop: sends that started more than 5 ms after their turn. */
  readonly late: number;
  /** Sent but not yet handled when the load stopped. */
  readonly backlogAtEnd: number;
  /** From the end of the load until the last event was handled. */
  readonly drainSeconds: number;
  /** Events never handled within the drain timeout; and handled more than once. */
  readonly lost: number;
  readonly duplicates: number;
  readonly strays: number;
  /** Sent → handled, of the measured events. */
  readonly latencies: readonly number[];
  readonly stages: Readonly<Partial<Record<Stage, readonly number[]>>>;
  readonly resources: BusResourceUse;
}

/**
 * One slice: the workload's load on one path for warm-up + slice time, the resources of the measured part, then
 * a wait until everything sent has been handled, so the next slice starts from an idle pipeline.
 */
export async function runSlice(path: BusPath, workload: Workload, options: BusBenchOptions, probe: BusProbe): Promise<Slice> {
  const { tracker } = path;
  collectGarbage();
  const startedAt = now();
  const windowStart = startedAt + options.warmupMs;
  tracker.begin(windowStart);
  const durationMs = options.warmupMs + options.sliceMs;
  const loading = workload.kind === 'rate' ? offeredLoad(workload.ratePerSecond, durationMs, options.maxInFlight, path.send) : closedLoop(workload.writers, durationMs, path.send);
  // A load that fails early ends the wait at once.
  await Promise.race([loading.then(() => undefined, () => undefined), delay(options.warmupMs)]);
  const span = await probe.begin(path.consumer.pid);
  const load = await loading;
  const windowEnd = now();
  const resources = await span.end();
  const drained = await drain(path, options.drainTimeoutMs);
  const traces = tracker.all();
  const lastHandled = traces.reduce((last, trace) => Math.max(last, trace.handledAt ?? 0), windowEnd);
  const measured = traces.filter((trace) => trace.measured);
  return {
    windowSeconds: (windowEnd - windowStart) / 1000,
    sent: measured.length,
    handledInWindow: traces.filter((trace) => trace.handledAt !== undefined && trace.handledAt >= windowStart && trace.handledAt <= windowEnd).length,
    late: load.late,
    backlogAtEnd: traces.filter((trace) => trace.sentAt <= windowEnd && (trace.handledAt === undefined || trace.handledAt > windowEnd)).length,
    drainSeconds: (lastHandled - windowEnd) / 1000,
    lost: drained ? 0 : tracker.outstanding,
    duplicates: traces.reduce((sum, trace) => sum + Math.max(0, trace.handledCount - 1), 0),
    strays: tracker.strays,
    latencies: measured.flatMap((trace) => (trace.handledAt === undefined ? [] : [trace.handledAt - trace.sentAt])),
    stages: stages(traces, path.id === 'arrears'),
    resources,
  };
}

/** The measured events' stage durations; an Arrears event's visibility is estimated from all events of the slice. */
function stages(traces: readonly EventTrace[], arrears: boolean): Partial<Record<Stage, number[]>> {
  const result: Partial<Record<Stage, number[]>> = { write: [], deliver: [] };
  const visibleAt = arrears ? visibilityTimes(traces) : new Map<EventTrace, number>();
  if (arrears) {
    result.visible = [];
    result.relay = [];
  }
  for (const trace of traces) {
    if (!trace.measured || trace.handledAt === undefined || trace.storedAt === undefined) continue;
    result.deliver?.push(trace.handledAt - trace.storedAt);
    if (!arrears) {
      result.write?.push(trace.storedAt - trace.sentAt);
      continue;
    }
    const visible = visibleAt.get(trace);
    if (trace.writtenAt === undefined || visible === undefined) continue;
    result.write?.push(trace.writtenAt - trace.sentAt);
    result.visible?.push(visible - trace.writtenAt);
    result.relay?.push(trace.storedAt - visible);
  }
  return result;
}

/**
 * A reader sees an event once every transaction whose id is at or below the event's has ended (the global log's
 * visibility rule, docs/event-store.md): the latest commit among this slice's appends with an id at or below its
 * own. Other sessions' transactions on the cluster can hold it back longer, so this is a lower bound.
 */
function visibilityTimes(traces: readonly EventTrace[]): Map<EventTrace, number> {
  const committed = traces.filter((trace) => trace.commit !== undefined && trace.writtenAt !== undefined).sort((a, b) => (a.commit as number) - (b.commit as number));
  const visibleAt = new Map<EventTrace, number>();
  let latest = Number.NEGATIVE_INFINITY;
  for (const trace of committed) {
    latest = Math.max(latest, trace.writtenAt as number);
    visibleAt.set(trace, latest);
  }
  return visibleAt;
}

export interface PathFigures {
  readonly slices: number;
  /** Median of the slices' rates. */
  readonly sentPerSecond: number;
  readonly handledPerSecond: number;
  readonly sent: number;
  readonly late: number;
  /** The largest backlog any slice left when its load stopped, and its longest drain. */
  readonly maxBacklogAtEnd: number;
  readonly maxDrainSeconds: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly strays: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly stages: Readonly<Partial<Record<Stage, { readonly p50Ms: number; readonly p99Ms: number }>>>;
  readonly resources: BusResourceUse;
  readonly sliceSentPerSecond: readonly number[];
  readonly sliceHandledPerSecond: readonly number[];
  readonly sliceP99Ms: readonly number[];
}

/** A path's figures for a workload: the median slice's rates; latency percentiles of all its slices' events together. */
export function summarize(slices: readonly Slice[]): PathFigures {
  const latencies = slices.flatMap((slice) => slice.latencies);
  const sent = slices.map((slice) => slice.sent / slice.windowSeconds);
  const handled = slices.map((slice) => slice.handledInWindow / slice.windowSeconds);
  const stages: Partial<Record<Stage, { p50Ms: number; p99Ms: number }>> = {};
  for (const stage of STAGES) {
    if (slices.every((slice) => slice.stages[stage] === undefined)) continue;
    const values = slices.flatMap((slice) => slice.stages[stage] ?? []);
    stages[stage] = { p50Ms: percentile(values, 0.5), p99Ms: percentile(values, 0.99) };
  }
  const total = (pick: (slice: Slice) => number) => slices.reduce((sum, slice) => sum + pick(slice), 0);
  return {
    slices: slices.length,
    sentPerSecond: median(sent),
    handledPerSecond: median(handled),
    sent: total((slice) => slice.sent),
    late: total((slice) => slice.late),
    maxBacklogAtEnd: Math.max(...slices.map((slice) => slice.backlogAtEnd)),
    maxDrainSeconds: Math.max(...slices.map((slice) => slice.drainSeconds)),
    lost: total((slice) => slice.lost),
    duplicates: total((slice) => slice.duplicates),
    strays: total((slice) => slice.strays),
    p50Ms: percentile(latencies, 0.5),
    p90Ms: percentile(latencies, 0.9),
    p99Ms: percentile(latencies, 0.99),
    maxMs: percentile(latencies, 1),
    stages,
    resources: addUp(slices.map((slice) => slice.resources)),
    sliceSentPerSecond: sent,
    sliceHandledPerSecond: handled,
    sliceP99Ms: slices.map((slice) => percentile(slice.latencies, 0.99)),
  };
}

/** Collects from the consumer until every event sent was handled (true), or `timeoutMs` passed (false). */
export async function drain(path: BusPath, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    await collectHandled(path);
    if (path.tracker.outstanding === 0) return true;
    if (performance.now() >= deadline) return false;
    await delay(25);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
