import { grouped, ms } from '@arrears/testing';
import { backgroundShare, MAX_P99_RATIO, NOISY, type BusResults } from './results';
import type { PathFigures } from './runner';
import type { BusResourceUse } from './resources';
import { micro } from './table';

/** Above this share of all cores busy, a run is taken to be CPU-bound. */
const CPU_BOUND = 0.85;
/** A path that handled less than this share of the rate offered fell behind. */
const KEPT_UP = 0.97;

/** The "what limits it" note: verdicts derived from the run's own figures, in the order a reader asks. */
export function limitsNote(results: BusResults): string[] {
  const notes: string[] = [];
  const poll = { min: results.method.relayMinPollIntervalMs, max: results.method.relayPollIntervalMs };
  for (const { workload, figures } of results.workloads) {
    if (workload.kind !== 'rate') continue;
    notes.push(`${workload.label}: ${latencyVerdict(figures.arrears, figures.raw, poll)}`);
    const behind = keptUp(figures.arrears, workload.ratePerSecond, results.machine.cpus);
    if (behind !== undefined) notes.push(`${workload.label}: ${behind}`);
  }
  notes.push(throughputVerdict(results));
  notes.push(idlePollVerdict(results));
  const noisiest = results.workloads
    .flatMap(({ workload, figures }) => [figures.arrears, figures.raw].map((f) => ({ label: workload.label, share: backgroundShare(f.resources, results.machine.cpus) })))
    .sort((a, b) => b.share - a.share)[0];
  if (noisiest !== undefined && noisiest.share >= NOISY) {
    notes.push(
      `Noise: other processes used up to ${percent(noisiest.share)} of the machine during a run (${noisiest.label}); the slices alternate so both paths share it, ` +
        'but the figures scatter more than on a quiet machine.',
    );
  }
  return notes;
}

function latencyVerdict(arrears: PathFigures, raw: PathFigures, poll: { min: number; max: number }): string {
  const stage = (name: 'write' | 'visible' | 'relay' | 'deliver') => arrears.stages[name] ?? { p50Ms: Number.NaN, p99Ms: Number.NaN };
  const relay = stage('relay');
  const write = stage('write');
  const deliver = stage('deliver');
  const visible = stage('visible');
  const rawDeliver = raw.stages.deliver ?? { p50Ms: Number.NaN, p99Ms: Number.NaN };
  const bound = MAX_P99_RATIO * raw.p99Ms;
  // What Arrears would take with a relay that added nothing and a delivery as quick as the raw path's.
  const floor = write.p99Ms + rawDeliver.p99Ms;
  const share = relay.p50Ms / arrears.p50Ms;
  const parts = [
    `Arrears p50 ${ms(arrears.p50Ms)} / p99 ${ms(arrears.p99Ms)} ms against raw's ${ms(raw.p50Ms)} / ${ms(raw.p99Ms)}.`,
    `The relay stage — waiting for the relay's next read of the log (${poll.min} ms after a read that found events, doubling after each empty one ` +
      `up to ${poll.max} ms), then for the events ahead of it in the page, each published and acknowledged before the next — is ` +
      `${ms(relay.p50Ms)} / ${ms(relay.p99Ms)} ms, ${percent(share)} of the median.`,
    `The append's commit (with its WAL flush) takes ${ms(write.p50Ms)} / ${ms(write.p99Ms)} ms, the visibility rule holds an event back ` +
      `${ms(visible.p50Ms)} / ${ms(visible.p99Ms)} ms, JetStream to the Nest handler ${ms(deliver.p50Ms)} / ${ms(deliver.p99Ms)} ms against the raw ` +
      `consumer's ${ms(rawDeliver.p50Ms)} / ${ms(rawDeliver.p99Ms)} — the transport's own work per event, and the relay's pages arriving as bursts that a ` +
      'consumer taking 4 at a time works through in turn.',
  ];
  if (arrears.p99Ms > bound) {
    parts.push(
      floor > bound
        ? `${MAX_P99_RATIO}× raw's p99 is ${ms(bound)} ms, but the commit's p99 plus the raw delivery's p99 come to ${ms(floor)} ms: even a relay that ` +
            'added nothing, with a consumer as quick as the bare one, would miss the target on this machine.'
        : `${MAX_P99_RATIO}× raw's p99 is ${ms(bound)} ms and the commit's p99 plus the raw delivery's p99 come to ${ms(floor)} ms: ` +
            'the target is missed by the relay stage and the slower delivery, not by the store.',
    );
  }
  return parts.join(' ');
}

function keptUp(arrears: PathFigures, rate: number, cores: number): string | undefined {
  if (arrears.handledPerSecond >= KEPT_UP * rate) return undefined;
  const use = arrears.resources;
  return (
    `the Arrears path fell behind: it handled ${grouped(arrears.handledPerSecond)} of ${grouped(rate)} ev/s offered (${grouped(arrears.maxBacklogAtEnd)} events waiting ` +
    `when a slice's load stopped, ${arrears.maxDrainSeconds.toFixed(1)} s to drain), with the cores ${percent(use.machineBusy)} busy ` +
    `(${percent(backgroundShare(use, cores))} of it other processes) — the latency figures of this row are those of a growing queue.`
  );
}

/** CPU per event across every process the path runs on, and the ceiling two cores give at that cost. */
function throughputVerdict(results: BusResults): string {
  const cores = results.machine.cpus;
  // The row where the Arrears path handled the most: its steadiest picture of what an event costs at load.
  const busiest = [...results.workloads].sort((x, y) => y.figures.arrears.handledPerSecond - x.figures.arrears.handledPerSecond)[0];
  if (busiest === undefined) return 'No workload ran.';
  const { arrears } = busiest.figures;
  const raw = [...results.workloads].sort((x, y) => y.figures.raw.handledPerSecond - x.figures.raw.handledPerSecond)[0]?.figures.raw ?? busiest.figures.raw;
  const a = perEvent(arrears, true);
  const r = perEvent(raw, false);
  const best = arrears.handledPerSecond;
  const relayCores = arrears.resources.relayCpuSeconds / arrears.resources.wallSeconds;
  const { relayPublish } = results.diagnostics;
  const cpuBound = arrears.resources.machineBusy >= CPU_BOUND;
  return (
    `Throughput: Arrears handled at most ${grouped(best)} ev/s end to end in this run (${busiest.workload.label}), raw ${grouped(raw.handledPerSecond)}. ` +
    `Per event handled the Arrears path cost ${micro(a.total)} µs of CPU across its processes (writers ${micro(a.writers)}, PostgreSQL ${micro(a.postgres)}, ` +
    `relay ${micro(a.relay)}, nats-server ${micro(a.nats)}, consumer ${micro(a.consumer)}), the raw path ${micro(r.total)} µs ` +
    `(publishers ${micro(r.writers)}, nats-server ${micro(r.nats)}, consumer ${micro(r.consumer)}): ${cores} cores give ceilings near ` +
    `${grouped(cores / a.total)} and ${grouped(cores / r.total)} ev/s. ` +
    (cpuBound
      ? `The cores were ${percent(arrears.resources.machineBusy)} busy: the Arrears path is CPU-bound on this machine, where PostgreSQL, nats-server and ` +
        'every process of the path share the same cores. '
      : `The cores were only ${percent(arrears.resources.machineBusy)} busy: the path waits rather than computes. `) +
    `The relay used ${relayCores.toFixed(2)} of a core; publishing one event at a time it manages ${grouped(relayPublish.perSecond)} ev/s on its own ` +
    `(p50 ${ms(relayPublish.p50Ms)} ms per publish and acknowledgement on an idle machine), ` +
    (arrears.handledPerSecond < 0.8 * relayPublish.perSecond
      ? 'so its sequential publishing is not the first limit here: the CPU the other processes leave it is.'
      : 'so its sequential publishing is close to being the limit.')
  );
}

function idlePollVerdict(results: BusResults): string {
  // While the raw path runs, the relay only polls the empty head of the log: its cost and the server's are the idle cost.
  const idle = results.workloads.map(({ figures }) => figures.raw.resources);
  const wall = idle.reduce((sum, use) => sum + use.wallSeconds, 0);
  const relay = idle.reduce((sum, use) => sum + use.relayCpuSeconds, 0) / wall;
  const postgres = idle.reduce((sum, use) => sum + use.postgresCpuSeconds, 0) / wall;
  const { relayPollIntervalMs: max, relayMinPollIntervalMs: min } = results.method;
  return (
    `Idle, the relay read the log every ${max} ms for ${(relay + postgres).toFixed(3)} cores (relay ${relay.toFixed(3)}, PostgreSQL ${postgres.toFixed(3)}; ` +
    `an empty read takes ${ms(results.diagnostics.emptyPollMs.p50)} ms). The short pauses (from ${min} ms) are paid only while events flow; ` +
    `the first event after a quiet spell still waits for the next ${max} ms read — a lower --poll-interval-ms buys that latency with this idle cost.`
  );
}

/**
 * CPU seconds per event: the writers' per event sent, everything downstream per event handled (they differ when a
 * path falls behind). The raw path's relay and PostgreSQL figures are the idle relay's polling: not its cost.
 */
function perEvent(figures: PathFigures, arrears: boolean): { total: number; writers: number; relay: number; consumer: number; nats: number; postgres: number } {
  const use: BusResourceUse = figures.resources;
  const sent = Math.max(1, figures.sentPerSecond * use.wallSeconds);
  const handled = Math.max(1, figures.handledPerSecond * use.wallSeconds);
  const writers = use.benchCpuSeconds / sent;
  const relay = arrears ? use.relayCpuSeconds / handled : 0;
  const consumer = use.consumerCpuSeconds / handled;
  const nats = use.natsCpuSeconds / handled;
  const postgres = arrears ? use.postgresCpuSeconds / handled : 0;
  return { total: writers + relay + consumer + nats + postgres, writers, relay, consumer, nats, postgres };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
