import type { ContenderId } from './contender';
import type { ResourceUse } from '@arrears/testing';
import type { AppendFigures, AppendWorkload, ReplayFigures } from './runner';

export const CONTENDERS: readonly ContenderId[] = ['arrears', 'raw', 'emmett'];

export interface BenchResults {
  readonly mode: 'quick' | 'full';
  readonly startedAt: string;
  readonly machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  readonly postgres: { version: string; settings: Record<string, string>; roundTripMs: number };
  /** Share of all cores busy in the second before the run: a shared machine makes noisy figures. */
  readonly backgroundLoadBeforeRun: number;
  /** The adapter measured: the commit, and any uncommitted changes to its sources at the time of the run. */
  readonly adapter: { commit: string; uncommittedChanges: string[] };
  readonly method: {
    poolSize: number;
    processWarmupMs: number;
    warmupMs: number;
    sliceMs: number;
    slices: number;
    pageSize: number;
    replayPasses: Readonly<Record<ContenderId, number>>;
    payloadBytes: { data: number; metadata: number };
  };
  readonly appends: readonly { workload: AppendWorkload; figures: Record<ContenderId, AppendFigures> }[];
  readonly replay: Record<ContenderId, ReplayFigures>;
}

export interface TargetCheck {
  readonly row: string;
  readonly label: string;
  readonly ratio: number;
  readonly min: number;
  readonly pass: boolean;
  /** Other processes took a large share of the machine during one of the two runs compared: a verdict to re-check. */
  readonly noisy: boolean;
}

/** Above this share of all cores used by other processes during a run, its figures are called noisy. */
export const NOISY = 0.15;

export function backgroundShare(use: ResourceUse, cores: number): number {
  return use.wallSeconds > 0 ? use.otherCpuSeconds / (cores * use.wallSeconds) : 0;
}

/** The targets: ≥1.5× Emmett on every append row, ≥0.5× raw at 8 writers, replay ≥0.8× the raw scan. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const cores = results.machine.cpus;
  type Run = { eventsPerSecond: number; resources: ResourceUse };
  const check = (row: string, label: string, arrears: Run, other: Run, min: number): TargetCheck => {
    const ratio = arrears.eventsPerSecond / other.eventsPerSecond;
    const noisy = [arrears, other].some((run) => backgroundShare(run.resources, cores) >= NOISY);
    return { row, label, ratio, min, pass: ratio >= min, noisy };
  };
  const checks = results.appends.flatMap(({ workload, figures }) => {
    const rows = [check(workload.id, '≥1.5×Emmett', figures.arrears, figures.emmett, 1.5)];
    if (workload.eventsPerAppend === 1 && workload.writers === 8) rows.push(check(workload.id, '≥0.5×raw', figures.arrears, figures.raw, 0.5));
    return rows;
  });
  checks.push(check('replay', '≥0.8×raw', results.replay.arrears, results.replay.raw, 0.8));
  return checks;
}
