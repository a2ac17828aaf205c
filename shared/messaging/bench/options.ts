import { parseBenchArguments, UsageError } from '@arrears/testing';

export type Workload =
  | { readonly id: string; readonly label: string; readonly kind: 'rate'; readonly ratePerSecond: number }
  | { readonly id: string; readonly label: string; readonly kind: 'max'; readonly writers: number };

export interface BusBenchOptions {
  readonly mode: 'quick' | 'full';
  /** Where to write the figures as JSON, if asked. */
  readonly jsonFile: string | undefined;
  /** Untimed, once per path before the first workload, so every process has compiled its code. */
  readonly processWarmupMs: number;
  /** At the start of every slice, at the slice's load, not counted: the pipeline reaches its steady state. */
  readonly warmupMs: number;
  /** Each path's measured share of a workload, split into slices that alternate between the two paths. */
  readonly sliceMs: number;
  readonly slices: number;
  /** Writers (connections, or publishers) that may be busy at once at a fixed rate. */
  readonly maxInFlight: number;
  /** How long a slice may take to hand every event it sent to the handler before it is reported as not drained. */
  readonly drainTimeoutMs: number;
  /** Sequential publishes timed for the relay's publish-loop figure. */
  readonly publishProbeEvents: number;
  /** The relay's `--poll-interval-ms` and `--min-poll-interval-ms`, to see what other settings would do; undefined: its defaults. */
  readonly relayPollIntervalMs: number | undefined;
  readonly relayMinPollIntervalMs: number | undefined;
  readonly workloads: readonly Workload[];
}

export const USAGE = `Usage: npm run bench:bus -- [--quick] [--json [FILE]]
  --quick        short run (about a minute and a half): per path and workload 2 slices of 4 s, each after 1 s of warm-up
  (default)      full run (about five minutes): 4 slices of 10 s, each after 1.5 s of warm-up
  --json [FILE]  also write every figure as JSON (default: bench-results/bus-<time>.json, git-ignored)
  --relay-poll-ms N, --relay-min-poll-ms N
                 run the relay with --poll-interval-ms N / --min-poll-interval-ms N instead of its defaults
Set DATABASE_URL and NATS_URL to use other servers than postgres://postgres@127.0.0.1:5432/postgres and nats://127.0.0.1:4222.`;

const WRITERS = 8;

/** 8 writers: the pool size at which the store's single-event appends peak on this machine (bench:store). */
const WORKLOADS: readonly Workload[] = [
  { id: 'rate-500', label: '500 ev/s offered', kind: 'rate', ratePerSecond: 500 },
  { id: 'rate-1000', label: '1,000 ev/s offered', kind: 'rate', ratePerSecond: 1_000 },
  { id: 'max', label: `max, ${WRITERS} writers`, kind: 'max', writers: WRITERS },
];

export function parseOptions(argv: readonly string[]): BusBenchOptions | 'help' {
  const relay: Record<string, number> = {};
  const args = parseBenchArguments(argv, 'bus', USAGE, (arg, next) => {
    if (arg !== '--relay-poll-ms' && arg !== '--relay-min-poll-ms') return 0;
    const value = Number(next);
    if (next === undefined || !Number.isInteger(value) || value < 1) throw new UsageError(`${arg} needs a whole number of milliseconds (got ${JSON.stringify(next ?? '')})\n${USAGE}`);
    relay[arg] = value;
    return 2;
  });
  if (args === 'help') return 'help';
  const common = {
    jsonFile: args.jsonFile,
    relayPollIntervalMs: relay['--relay-poll-ms'],
    relayMinPollIntervalMs: relay['--relay-min-poll-ms'],
    maxInFlight: WRITERS, drainTimeoutMs: 60_000, workloads: WORKLOADS };
  return args.quick
    ? { ...common, mode: 'quick', processWarmupMs: 3_000, warmupMs: 1_000, sliceMs: 4_000, slices: 2, publishProbeEvents: 1_000 }
    : { ...common, mode: 'full', processWarmupMs: 5_000, warmupMs: 1_500, sliceMs: 10_000, slices: 4, publishProbeEvents: 3_000 };
}
