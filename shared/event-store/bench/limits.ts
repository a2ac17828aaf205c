import type { ContenderId } from './contender';
import { grouped, layoutColumns, ms, type ResourceUse } from '@arrears/testing';
import { backgroundShare as background, CONTENDERS, NOISY, type BenchResults } from './results';
import type { AppendFigures, ReplayFigures } from './runner';

const SHORT: Record<ContenderId, string> = { arrears: 'Arrears', raw: 'raw', emmett: 'Emmett' };
/** Above this share of all cores busy, a run is taken to be CPU-bound. */
const CPU_BOUND = 0.8;

interface Row {
  readonly label: string;
  readonly id: ContenderId;
  readonly events: number;
  readonly use: ResourceUse;
}

function rows(results: BenchResults): Row[] {
  return [
    ...results.appends.flatMap(({ workload, figures }) =>
      CONTENDERS.map((id) => ({ label: workload.label, id, events: figures[id].events, use: figures[id].resources })),
    ),
    // Replay resources are those of all passes together.
    ...CONTENDERS.map((id) => ({ label: 'replay', id, events: results.replay[id].eventsRead * results.replay[id].passes, use: results.replay[id].resources })),
  ];
}

/** Where the time went in each timed run: CPU per event on each side, WAL per event, events per WAL flush. */
export function renderResources(results: BenchResults): string {
  const cores = results.machine.cpus;
  const header = ['run', 'contender', 'CPU busy', 'client µs/ev', 'server µs/ev', 'background', 'WAL B/ev', 'ev/WAL flush'];
  const body = rows(results).map((row) => [
    row.label,
    SHORT[row.id],
    percent(row.use.machineBusy),
    perEvent(row.use.clientCpuSeconds, row.events),
    perEvent(row.use.serverCpuSeconds, row.events),
    percent(background(row.use, cores)),
    row.label === 'replay' ? '-' : grouped(row.use.walBytes / row.events),
    row.label === 'replay' || row.use.walSyncs === 0 ? '-' : (row.events / row.use.walSyncs).toFixed(1),
  ]);
  return layoutColumns([header, ...body]);
}

/** The "what limits it" note: a verdict per run of the adapter, each derived from the figures above. */
export function limitsNote(results: BenchResults): string[] {
  const notes: string[] = [];
  const cores = results.machine.cpus;
  const single = results.appends.find(({ workload }) => workload.eventsPerAppend === 1 && workload.writers === 1);
  if (single !== undefined) notes.push(oneWriterVerdict(single.figures, results));
  for (const { workload, figures } of results.appends) {
    if (workload.writers === 1 && workload.eventsPerAppend === 1) continue;
    notes.push(`${workload.label}: ${appendVerdict(figures.arrears, cores, workload.writers)} ${versus(figures)}`);
  }
  notes.push(`replay: ${replayVerdict(results.replay)}`);
  // Appends only: Emmett's replay runs PostgreSQL parallel workers, which count as background but are not noise.
  const noisiest = rows(results)
    .filter((row) => row.label !== 'replay')
    .sort((a, b) => background(b.use, cores) - background(a.use, cores))[0];
  if (noisiest !== undefined && background(noisiest.use, cores) >= NOISY) {
    notes.push(
      `Noise: other processes used up to ${percent(background(noisiest.use, cores))} of the machine during a run (${noisiest.label}, ${SHORT[noisiest.id]}); ` +
        'slices are interleaved so all three share it, but the figures scatter more than on a quiet machine.',
    );
  }
  return notes;
}

function oneWriterVerdict(figures: Record<ContenderId, AppendFigures>, results: BenchResults): string {
  const { arrears, raw, emmett } = figures;
  const roundTrip = results.postgres.roundTripMs;
  const settings = results.postgres.settings;
  return (
    `1 writer is commit-bound: a bare insert takes p50 ${ms(raw.p50Ms)} ms where a round trip takes ${ms(roundTrip)} ms, so ` +
    `~${ms(raw.p50Ms - roundTrip)} ms of each append is waiting for its own WAL flush (synchronous_commit=${settings['synchronous_commit'] ?? '?'}, ` +
    `wal_sync_method=${settings['wal_sync_method'] ?? '?'}). Over that floor Arrears adds ${signed(arrears.p50Ms - raw.p50Ms)} ms ` +
    `(${perEvent(arrears.resources.clientCpuSeconds, arrears.events)} µs client CPU per append against raw's ${perEvent(raw.resources.clientCpuSeconds, raw.events)}; ` +
    `the function, the stream row and its index) and Emmett ${signed(emmett.p50Ms - raw.p50Ms)} ms (three round trips — BEGIN, call, COMMIT — and ` +
    `${perEvent(emmett.resources.clientCpuSeconds, emmett.events)} µs client CPU).`
  );
}

function appendVerdict(arrears: AppendFigures, cores: number, writers: number): string {
  const use = arrears.resources;
  const cpuPerEvent = (use.clientCpuSeconds + use.serverCpuSeconds) / arrears.events;
  const perFlush = use.walSyncs > 0 ? arrears.events / use.walSyncs : Number.NaN;
  if (use.machineBusy >= CPU_BOUND) {
    const ceiling = (cores * (1 - background(use, cores))) / cpuPerEvent;
    return (
      `Arrears is CPU-bound — cores ${percent(use.machineBusy)} busy (${percent(background(use, cores))} of it other processes), ` +
      `${micro(cpuPerEvent)} µs of CPU per event (client ${perEvent(use.clientCpuSeconds, arrears.events)}, server ${perEvent(use.serverCpuSeconds, arrears.events)}), ` +
      `a ceiling near ${grouped(ceiling)} events/s; ${perFlush.toFixed(1)} events share a WAL flush.`
    );
  }
  const latencyMs = (arrears.seconds * writers * 1000) / arrears.appends;
  const cpuPerAppendMs = ((use.clientCpuSeconds + use.serverCpuSeconds) * 1000) / arrears.appends;
  if (cpuPerAppendMs >= 0.6 * latencyMs) {
    return (
      `Arrears is bound by CPU on the critical path: of ${ms(latencyMs)} ms per append, ${ms(cpuPerAppendMs)} ms is CPU ` +
      `(client ${ms((use.clientCpuSeconds * 1000) / arrears.appends)}, server ${ms((use.serverCpuSeconds * 1000) / arrears.appends)}), spent one side at a time, ` +
      `so the cores are only ${percent(use.machineBusy)} busy; the WAL flush is shared by ${perFlush.toFixed(0)} events.`
    );
  }
  return `Arrears waits more than it computes (cores ${percent(use.machineBusy)} busy): ${perFlush.toFixed(1)} events per WAL flush, p50 ${ms(arrears.p50Ms)} ms per append.`;
}

function versus(figures: Record<ContenderId, AppendFigures>): string {
  const cpu = (id: ContenderId) => perEvent(figures[id].resources.clientCpuSeconds + figures[id].resources.serverCpuSeconds, figures[id].events);
  const wal = (id: ContenderId) => grouped(figures[id].resources.walBytes / figures[id].events);
  return `CPU per event (client + server): Arrears ${cpu('arrears')} µs, raw ${cpu('raw')} µs, Emmett ${cpu('emmett')} µs; WAL per event ${wal('arrears')} B, ${wal('raw')} B, ${wal('emmett')} B.`;
}

function replayVerdict(replay: Record<ContenderId, ReplayFigures>): string {
  const parts = CONTENDERS.map((id) => {
    const { resources: use } = replay[id];
    const eventsRead = replay[id].eventsRead * replay[id].passes;
    const client = use.clientCpuSeconds / use.wallSeconds;
    const server = use.serverCpuSeconds / use.wallSeconds;
    const bound =
      client >= 0.75
        ? `Node's one thread (${percent(client)} of a core: decoding rows${id === 'arrears' ? ' and mapping them to envelopes' : ''})`
        : server >= 0.75
          ? `its server backend (${percent(server)} of a core)`
          : `neither side alone (client ${percent(client)}, server ${percent(server)} of a core: they take turns, one page per round trip)`;
    return `${SHORT[id]} ${perEvent(use.clientCpuSeconds, eventsRead)} µs client + ${perEvent(use.serverCpuSeconds, eventsRead)} µs server per event, bound by ${bound}`;
  });
  const wrong = CONTENDERS.filter((id) => replay[id].eventsRead !== replay[id].eventsInLog).map((id) => {
    const { eventsRead, eventsInLog } = replay[id];
    const why =
      id === 'emmett'
        ? '0.42 pages in (transaction_id, global_position) order but resumes after the last global_position alone, so where concurrent writers ' +
          'committed out of position order it skips some events and repeats others'
        : 'a reader sees only what is below the oldest transaction still running on the server, and another session held one open';
    return ` ${SHORT[id]} delivered ${grouped(eventsRead)} events for a log of ${grouped(eventsInLog)}: ${why}.`;
  });
  return `${parts.join('; ')}.${wrong.join('')}`;
}

function perEvent(seconds: number, events: number): string {
  return events > 0 ? micro(seconds / events) : '-';
}

function micro(seconds: number): string {
  const value = seconds * 1e6;
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${ms(value)}`;
}
