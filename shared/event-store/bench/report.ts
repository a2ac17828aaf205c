import { writeBenchJson } from '@arrears/testing';
import { limitsNote, renderResources } from './limits';
import { checkTargets, type BenchResults } from './results';
import { renderTable } from './table';

/** The table, the resource figures and the limits note on stdout; everything as JSON too if asked. */
export function report(results: BenchResults, jsonFile: string | undefined, progress: (line: string) => void): void {
  const targets = checkTargets(results);
  const { data, metadata } = results.method.payloadBytes;
  const out = [
    '',
    `Arrears event store benchmark (${results.mode}) — ${results.postgres.version.split(' on ')[0]}, Node ${results.machine.node}, ${results.machine.cpus} CPUs`,
    `Same server, process and pool size (${results.method.poolSize}) for all; per contender and workload the median of ${results.method.slices} interleaved slices of ${results.method.sliceMs / 1000} s, each after ${results.method.warmupMs / 1000} s warm-up; ` +
      `events of ${data} B data + ${metadata} B metadata JSON; latency per append call.`,
    'raw pg = plain INSERTs into a copy of the adapter\'s events table (same columns and indexes, no stream row, no function): the floor.',
    `replay = the global log from the start in pages of ${results.method.pageSize}, median of ${results.method.replayPasses.arrears} passes (Emmett: ${results.method.replayPasses.emmett}); raw = keyset-paged SELECT of the adapter's table in (transaction_id, global_position) order.`,
    '',
    renderTable(results, targets),
    ...(targets.some((t) => t.noisy) ? ['* other processes used 15% or more of the machine during a run compared here: re-check on a quiet machine.'] : []),
    '',
    `Targets: ${targets.filter((t) => t.pass).length} of ${targets.length} met.` +
      (targets.some((t) => !t.pass) ? ` Missed: ${targets.filter((t) => !t.pass).map((t) => `${t.row} ${t.label} (${t.ratio.toFixed(2)}×)`).join(', ')}.` : ''),
    '',
    'Where the time goes. CPU busy: share of all cores; client: this process; server: the pool\'s PostgreSQL backends; background: everything else,',
    'including PostgreSQL\'s WAL writer, checkpointer and parallel query workers (Emmett\'s replay sorts in them); WAL volume and flushes are cluster-wide.',
    renderResources(results),
    '',
    'What limits it:',
    ...limitsNote(results).map((note) => `- ${note}`),
    '',
  ];
  if (results.adapter.uncommittedChanges.length > 0) out.push(`Note: measured with uncommitted changes to ${results.adapter.uncommittedChanges.join(', ')}.`, '');
  process.stdout.write(out.join('\n'));
  if (jsonFile !== undefined) {
    writeBenchJson(jsonFile, { ...results, targets, limits: limitsNote(results) });
    progress(`figures written to ${jsonFile}`);
  }
}
