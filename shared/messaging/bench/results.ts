import type { Diagnostics } from './diagnostics';
import type { Workload } from './options';
import type { PathId } from './path';
import type { BusResourceUse } from './resources';
import type { PathFigures } from './runner';

export interface BusResults {
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  readonly postgres: { version: string; settings: Record<string, string>; roundTripMs: number };
  readonly nats: { version: string; url: string; serverCpuMeasured: boolean };
  /** Share of all cores busy in the second before the run: a shared machine makes noisy figures. */
  readonly backgroundLoadBeforeRun: number;
  /** The code measured: the commit, and any uncommitted changes to its sources at the time of the run. */
  readonly measured: { commit: string; uncommittedChanges: string[] };
  readonly method: {
    processWarmupMs: number;
    warmupMs: number;
    sliceMs: number;
    slices: number;
    maxInFlight: number;
    /** The relay's longest pause between reads of the log in this run (its default unless --relay-poll-ms). */
    relayPollIntervalMs: number;
    /** Its pause after a read that found events, doubled after each empty one (its default unless --relay-min-poll-ms). */
    relayMinPollIntervalMs: number;
    payloadBytes: { data: number; metadata: number };
  };
  readonly workloads: readonly { workload: Workload; figures: Record<PathId, PathFigures> }[];
  readonly diagnostics: Diagnostics;
}

export interface TargetCheck {
  readonly row: string;
  readonly label: string;
  /** The figure compared: a ratio of p99s, or events per second. */
  readonly value: number;
  readonly pass: boolean;
  /** Other processes took a large share of the machine during a compared run: a verdict to re-check. */
  readonly noisy: boolean;
}

/** The targets. */
export const MAX_P99_RATIO = 3;
export const MIN_EVENTS_PER_SECOND = 1_000;

/** Above this share of all cores used by other processes during a run, its figures are called noisy. */
export const NOISY = 0.15;

export function backgroundShare(use: BusResourceUse, cores: number): number {
  return use.wallSeconds > 0 ? use.otherCpuSeconds / (cores * use.wallSeconds) : 0;
}

/**
 * p99 within 3× the raw path's at each fixed rate; at least 1,000 events/s handled end to end — the most the
 * Arrears path handled in any row (at 1,000 ev/s offered, or at the most load), shown on that row.
 */
export function checkTargets(results: BusResults): TargetCheck[] {
  const cores = results.machine.cpus;
  const noisy = (...figures: PathFigures[]) => figures.some((f) => backgroundShare(f.resources, cores) >= NOISY);
  const checks: TargetCheck[] = results.workloads.flatMap(({ workload, figures: { arrears, raw } }) => {
    if (workload.kind !== 'rate') return [];
    const ratio = arrears.p99Ms / raw.p99Ms;
    return [{ row: workload.id, label: `p99 ≤${MAX_P99_RATIO}×raw`, value: ratio, pass: ratio <= MAX_P99_RATIO, noisy: noisy(arrears, raw) }];
  });
  const best = [...results.workloads].sort((a, b) => b.figures.arrears.handledPerSecond - a.figures.arrears.handledPerSecond)[0];
  if (best !== undefined) {
    const rate = best.figures.arrears.handledPerSecond;
    checks.push({ row: best.workload.id, label: `≥${MIN_EVENTS_PER_SECOND.toLocaleString('en-US')} ev/s`, value: rate, pass: rate >= MIN_EVENTS_PER_SECOND, noisy: noisy(best.figures.arrears) });
  }
  return checks;
}
