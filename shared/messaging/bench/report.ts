import { grouped, ms, writeBenchJson } from '@arrears/testing';
import { limitsNote } from './limits';
import { checkTargets, type BusResults } from './results';
import { renderResources, renderStages, renderTable } from './table';

/** The tables, the relay loop's parts and the limits note on stdout; everything as JSON too if asked. */
export function report(results: BusResults, jsonFile: string | undefined, progress: (line: string) => void): void {
  const targets = checkTargets(results);
  const { data, metadata } = results.method.payloadBytes;
  const { relayPublish, barePublish, emptyPollMs } = results.diagnostics;
  const method = results.method;
  const out = [
    '',
    `Arrears bus benchmark (${results.mode}) — ${results.postgres.version.split(' on ')[0]}, nats-server ${results.nats.version}, Node ${results.machine.node}, ${results.machine.cpus} CPUs`,
    `Per path and workload ${method.slices} slices of ${method.sliceMs / 1000} s, each after ${method.warmupMs / 1000} s of warm-up at the same load, the paths alternating; ` +
      `rates are the median slice, latencies all measured events together (ms, from just before appendToStream / js.publish to the handler).`,
    `Events of ${data} B data + ${metadata} B metadata JSON, one per append to a new stream; at a fixed rate at most ${method.maxInFlight} writers busy at once.`,
    `Arrears = appendToStream (PostgreSQL) → relay process (npm run arrears -- relay run, reading the log again ${method.relayMinPollIntervalMs} ms after a read that found events, doubling the pause after each that found none up to ${method.relayPollIntervalMs} ms) → JetStream → ` +
      'NestJS JetStreamTransport handler in a service process (default consumer settings).',
    'raw = the same subject, headers and body, js.publish with Nats-Msg-Id → a bare durable pull consumer in a process of its own (4 at a time, ackAck), same stream settings.',
    '',
    renderTable(results, targets),
    ...(targets.some((t) => t.noisy) ? ['* other processes used 15% or more of the machine during a run compared here: re-check on a quiet machine.'] : []),
    '',
    `Targets: ${targets.filter((t) => t.pass).length} of ${targets.length} met.` +
      (targets.some((t) => !t.pass) ? ` Missed: ${targets.filter((t) => !t.pass).map((t) => `${t.row} ${t.label} (${t.label.startsWith('p99') ? `${t.value.toFixed(1)}×` : `${grouped(t.value)} ev/s`})`).join(', ')}.` : ''),
    '',
    'Where the time goes, p50 / p99 ms. written: the append committed (Arrears) or JetStream stored the message (raw); visible: until every transaction',
    'that took an id before it has ended, so the global log shows it (a lower bound); relay: until JetStream stored it; then JetStream to the handler.',
    renderStages(results),
    '',
    'CPU by process, in cores used over the measured windows (* = other processes took 15% or more of the machine), and µs per event handled.',
    renderResources(results),
    '',
    `The relay loop's parts alone: its publisher (EventPublisher), one event at a time, p50 ${ms(relayPublish.p50Ms)} ms, p99 ${ms(relayPublish.p99Ms)} ms, ` +
      `${grouped(relayPublish.perSecond)} ev/s; a bare sequential js.publish p50 ${ms(barePublish.p50Ms)} ms, ${grouped(barePublish.perSecond)} ev/s; ` +
      `an idle poll of the global log (readAll finding nothing) p50 ${ms(emptyPollMs.p50)} ms, p99 ${ms(emptyPollMs.p99)} ms.`,
    '',
    'What limits it:',
    ...limitsNote(results).map((note) => `- ${note}`),
    '',
  ];
  if (results.measured.uncommittedChanges.length > 0) out.push(`Note: measured with uncommitted changes to ${results.measured.uncommittedChanges.join(', ')}.`, '');
  process.stdout.write(out.join('\n'));
  if (jsonFile !== undefined) {
    writeBenchJson(jsonFile, { ...results, targets, limits: limitsNote(results) });
    progress(`figures written to ${jsonFile}`);
  }
}
