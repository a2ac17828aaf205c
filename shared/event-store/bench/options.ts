import { parseBenchArguments } from '@arrears/testing';
import type { ContenderId } from './contender';
import type { AppendWorkload } from './runner';

export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  /** Where to write the figures as JSON, if asked. */
  readonly jsonFile: string | undefined;
  readonly poolSize: number;
  /** Once per contender before the first workload, so the JIT has compiled every client's code. */
  readonly processWarmupMs: number;
  /** Before every slice, on the slice's fresh pool. */
  readonly warmupMs: number;
  /** Each contender's share of a workload, split into slices interleaved with the other contenders'. */
  readonly sliceMs: number;
  readonly slices: number;
  /** Events in each contender's log before the replay (seeded with batch appends as needed). */
  readonly replayEvents: number;
  /**
   * Timed passes per reader; the figure is their median. Emmett's reader gets fewer: one of its passes costs
   * 15 s at 100,000 events and grows with the square of the log (see docs/benchmarks.md).
   */
  readonly replayPasses: Readonly<Record<ContenderId, number>>;
  /** The adapter's own subscription page size, used by all three readers. */
  readonly pageSize: number;
  readonly workloads: readonly AppendWorkload[];
}

export const USAGE = `Usage: npm run bench:store -- [--quick] [--json [FILE]]
  --quick        short run (under two minutes): median of 3 × 0.6 s per measurement; a 100,000-event replay,
                 median of 3 passes (Emmett: 1)
  (default)      full run (about six minutes): median of 6 × 1.5 s; a replay of 150,000 events or more,
                 median of 5 passes (Emmett: 2)
  --json [FILE]  also write every figure as JSON (default: bench-results/store-<time>.json, git-ignored)
Set DATABASE_URL to use another server than postgres://postgres@127.0.0.1:5432/postgres.`;

const WORKLOADS: readonly AppendWorkload[] = [
  { id: 'single-1', label: 'single, 1 writer', writers: 1, eventsPerAppend: 1 },
  { id: 'single-8', label: 'single, 8 writers', writers: 8, eventsPerAppend: 1 },
  { id: 'single-32', label: 'single, 32 writers', writers: 32, eventsPerAppend: 1 },
  { id: 'batch-100', label: 'batch of 100, 1 writer', writers: 1, eventsPerAppend: 100 },
];

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const args = parseBenchArguments(argv, 'store', USAGE);
  if (args === 'help') return 'help';
  const { quick, jsonFile } = args;
  const common = { jsonFile, poolSize: 32, pageSize: 1_000, workloads: WORKLOADS };
  return quick
    ? { ...common, mode: 'quick', processWarmupMs: 1_500, warmupMs: 300, sliceMs: 600, slices: 3, replayEvents: 100_000, replayPasses: { arrears: 3, raw: 3, emmett: 1 } }
    : { ...common, mode: 'full', processWarmupMs: 3_000, warmupMs: 600, sliceMs: 1_500, slices: 6, replayEvents: 150_000, replayPasses: { arrears: 5, raw: 5, emmett: 2 } };
}
