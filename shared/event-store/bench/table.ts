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
  return layout([header, ...rows]);
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

function layout(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  const [header, ...body] = rows;
  return [line(header ?? []), rule, ...body.map(line)].join('\n');
}

export function grouped(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
