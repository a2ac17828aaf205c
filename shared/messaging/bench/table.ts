import { grouped, layoutColumns, layoutTable, ms } from '@arrears/testing';
import { PATH_LABELS, PATHS, type PathId } from './path';
import { backgroundShare, type BusResults, type TargetCheck } from './results';
import type { PathFigures, Stage } from './runner';

/** One row per workload: each path's rate and latency, the ratios, the targets. */
export function renderTable(results: BusResults, targets: readonly TargetCheck[]): string {
  const header = ['workload', ...PATHS.map((id) => PATH_LABELS[id]), 'p99 A÷raw', 'rate A÷raw', 'targets'];
  const rows = results.workloads.map(({ workload, figures }) => [
    workload.label,
    ...PATHS.map((id) => cell(figures[id], workload.kind === 'max')),
    `${(figures.arrears.p99Ms / figures.raw.p99Ms).toFixed(1)}×`,
    `${(figures.arrears.handledPerSecond / figures.raw.handledPerSecond).toFixed(2)}×`,
    targets
      .filter((target) => target.row === workload.id)
      .map((target) => `${target.label} ${target.pass ? 'PASS' : 'MISS'}${target.noisy ? '*' : ''}`)
      .join(', '),
  ]);
  return layoutTable([header, ...rows]);
}

/** At a fixed rate the rate offered is met (or not: "late"); at the most load, handled and sent differ when a path falls behind. */
function cell(figures: PathFigures, max: boolean): string {
  const rate = max
    ? `${grouped(figures.handledPerSecond)} ev/s (sent ${grouped(figures.sentPerSecond)})`
    : `${grouped(figures.handledPerSecond)} ev/s`;
  const trouble = [
    figures.late > figures.sent * 0.01 ? `${grouped(figures.late)} late` : '',
    figures.lost > 0 ? `${grouped(figures.lost)} NOT HANDLED` : '',
    figures.duplicates > 0 ? `${grouped(figures.duplicates)} twice` : '',
  ].filter(Boolean);
  return `${rate}  p50 ${ms(figures.p50Ms)}  p99 ${ms(figures.p99Ms)}  max ${ms(figures.maxMs)}${trouble.length > 0 ? `  (${trouble.join(', ')})` : ''}`;
}

const STAGE_HEADERS: Record<Stage, string> = {
  write: 'written (commit | stored)',
  visible: 'visible in the log',
  relay: 'relay: poll + publish',
  deliver: 'JetStream → handler',
};

/** Where an event's time goes, stage by stage: p50 / p99 in ms. */
export function renderStages(results: BusResults): string {
  const stages: Stage[] = ['write', 'visible', 'relay', 'deliver'];
  const header = ['run', 'path', ...stages.map((stage) => STAGE_HEADERS[stage]), 'end to end'];
  const body = results.workloads.flatMap(({ workload, figures }) =>
    PATHS.map((id) => [
      workload.label,
      SHORT[id],
      ...stages.map((stage) => {
        const figure = figures[id].stages[stage];
        return figure === undefined ? '-' : `${ms(figure.p50Ms)} / ${ms(figure.p99Ms)}`;
      }),
      `${ms(figures[id].p50Ms)} / ${ms(figures[id].p99Ms)}`,
    ]),
  );
  return layoutColumns([header, ...body]);
}

export const SHORT: Record<PathId, string> = { arrears: 'Arrears', raw: 'raw' };

/** CPU by process: cores used on average over the measured windows, and µs per event handled. */
export function renderResources(results: BusResults): string {
  const cores = results.machine.cpus;
  const header = ['run', 'path', 'CPU busy', 'writers', 'relay', 'consumer', 'nats-server', 'PostgreSQL', 'other', 'µs/ev: writers', 'relay', 'consumer', 'nats', 'PostgreSQL', 'WAL B/ev'];
  const body = results.workloads.flatMap(({ workload, figures }) =>
    PATHS.map((id) => {
      const { resources: use } = figures[id];
      const events = figures[id].handledPerSecond * use.wallSeconds;
      const coresUsed = (seconds: number) => (use.wallSeconds > 0 ? (seconds / use.wallSeconds).toFixed(2) : '-');
      const perEvent = (seconds: number) => (events > 0 ? micro(seconds / events) : '-');
      const nats = results.nats.serverCpuMeasured;
      return [
        workload.label,
        SHORT[id],
        `${Math.round(use.machineBusy * 100)}%`,
        coresUsed(use.benchCpuSeconds),
        coresUsed(use.relayCpuSeconds),
        coresUsed(use.consumerCpuSeconds),
        nats ? coresUsed(use.natsCpuSeconds) : '?',
        coresUsed(use.postgresCpuSeconds),
        `${coresUsed(use.otherCpuSeconds)}${backgroundShare(use, cores) >= 0.15 ? '*' : ''}`,
        perEvent(use.benchCpuSeconds),
        id === 'arrears' ? perEvent(use.relayCpuSeconds) : '-',
        perEvent(use.consumerCpuSeconds),
        nats ? perEvent(use.natsCpuSeconds) : '?',
        id === 'arrears' ? perEvent(use.postgresCpuSeconds) : '-',
        id === 'arrears' && events > 0 ? grouped(use.walBytes / events) : '-',
      ];
    }),
  );
  return layoutColumns([header, ...body]);
}

export function micro(seconds: number): string {
  const value = seconds * 1e6;
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}
