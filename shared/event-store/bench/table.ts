import { grouped, layoutTable, ms } from '@arrears/testing';
import type { ContenderId } from './contender';
import type { AppendFigures, ReplayFigures } from './runner';
import { CONTENDERS, type BenchResults, type TargetCheck } from './results';

const LABELS: Record<ContenderId, string> = { arrears: 'Arrears', raw: 'raw pg (floor)', emmett: 'Emmett 0.42' };

/** The three-way table: one row per workload, a column per contender, the ratios and the targets. */
export function renderTable(results: BenchResults, targets: readonly TargetCheck[]): string {
  const header = ['workload', ...CONTENDERS.map((id) => LABELS[id]), 'A÷Emmett', 'A÷raw', 'targets'];
  const rows = results.appends.map(({ workload, figures }) => [
    workload.label,
    ...CONTENDERS.map((id) => appendCell(figures[id])),
    ratio(figures.arrears.eventsPerSecond, figures.emmett.eventsPerSecond),
    ratio(figures.arrears.eventsPerSecond, figures.raw.eventsPerSecond),
    targetCell(targets.filter((target) => target.row === workload.id)),
  ]);
  const replay = results.replay;
  rows.push([
    `replay ${grouped(replay.arrears.eventsInLog)} events`,
    ...CONTENDERS.map((id) => replayCell(replay[id])),
    ratio(replay.arrears.eventsPerSecond, replay.emmett.eventsPerSecond),
    ratio(replay.arrears.eventsPerSecond, replay.raw.eventsPerSecond),
    targetCell(targets.filter((target) => target.row === 'replay')),
  ]);
  return layoutTable([header, ...rows]);
}

function appendCell(figures: AppendFigures): string {
  return `${grouped(figures.eventsPerSecond)} ev/s  p50 ${ms(figures.p50Ms)}  p99 ${ms(figures.p99Ms)}`;
}

function replayCell(figures: ReplayFigures): string {
  const wrong = figures.eventsRead !== figures.eventsInLog ? `  (delivered ${grouped(figures.eventsRead)} for ${grouped(figures.eventsInLog)}!)` : '';
  return `${grouped(figures.eventsPerSecond)} ev/s${wrong}`;
}

function targetCell(checks: readonly TargetCheck[]): string {
  return checks.map((check) => `${check.label} ${check.pass ? 'PASS' : 'MISS'}${check.noisy ? '*' : ''}`).join(', ');
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
