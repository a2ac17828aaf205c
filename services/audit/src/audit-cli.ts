import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ArrearsError, ErrorCode, isArrearsError } from '@arrears/contracts';
import { eventStoreDbUrlFromEnv, openEventStore } from '@arrears/event-store';
import { Pool } from 'pg';
import { allEvents, caseChanges, changesJsonl, complianceReport, complianceReportCsv, exportText, isReportName, REPORT_NAMES, timelineText } from './audit-operations';
import { AuditLedger, verificationKeysFromEnv, verifyLedger, type LedgerReport } from './ledger';
import { caseStateAt, caseTimeline, snapshotJson } from './replay';

export interface CliOutput {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown; readonly isTTY?: boolean };
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const OPTIONS = {
  out: { type: 'string' },
  format: { type: 'string' },
  basis: { type: 'string' },
  case: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'require-complete': { type: 'boolean' },
  schema: { type: 'string' },
  'store-schema': { type: 'string' },
  'database-url': { type: 'string' },
} as const;

/**
 * `npm run arrears -- audit <replay|as-of|diff|verify|export|report> …`, reading the ledger (docs/audit.md).
 * Resolves with the exit code: 0 done (verified), 1 verification found problems, 2 the command could not run.
 */
export async function main(argv: string[], io: CliOutput = { out: process.stdout, err: process.stderr }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    (command === undefined ? io.err : io.out).write(usage());
    return command === undefined ? 2 : 0;
  }
  let pool: Pool | undefined;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: true });
    pool = new Pool({ connectionString: values['database-url'] ?? env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL, max: 4, application_name: 'arrears audit cli' });
    const ledger = new AuditLedger({ pool, ...(values.schema ?? env['ARREARS_AUDIT_LEDGER_SCHEMA'] ? { schema: values.schema ?? env['ARREARS_AUDIT_LEDGER_SCHEMA'] } : {}) });
    const emit = async (text: string) => (values.out === undefined ? io.out.write(text) : writeFile(values.out, text));
    const caseArg = (what: string) => {
      const caseId = positionals[0];
      if (caseId === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `audit ${what} needs a case id`, { field: 'caseId' });
      return caseId;
    };
    switch (command) {
      case 'replay': {
        const timeline = caseTimeline(await ledger.eventsOfCase(caseArg('replay')));
        await emit(timelineText(timeline, format(values.format)));
        io.err.write(`replayed ${timeline.length} events of case ${positionals[0]}\n`);
        return 0;
      }
      case 'as-of': {
        const at = positionals[1] ?? missing('as-of', 'an instant');
        const snapshot = caseStateAt(await ledger.eventsOfCase(caseArg('as-of')), at, { basis: values.basis === 'occurred' ? 'occurred' : 'recorded' });
        await emit(`${snapshotJson(snapshot)}\n`);
        return 0;
      }
      case 'diff': {
        const [, from, to] = positionals;
        if (from === undefined || to === undefined) missing('diff', 'two instants');
        const changes = caseChanges(await ledger.eventsOfCase(caseArg('diff')), from!, to!, values.basis === 'occurred' ? 'occurred' : 'recorded');
        await emit(changesJsonl(changes));
        io.err.write(`${changes.length} change(s) between ${from} and ${to}\n`);
        return 0;
      }
      case 'verify': {
        // EVENTSTOREDB_URL set: the ledger is compared with EventStoreDB's log (parsed events; PostgreSQL's stored text is read only there).
        const store = openEventStore({ eventStoreDbUrl: eventStoreDbUrlFromEnv(env), postgres: { pool, schema: values['store-schema'] ?? env['ARREARS_STORE_SCHEMA'] ?? 'arrears_events' } });
        try {
          const total = (await ledger.head()).seq;
          const bar = progressBar(io.err, total);
          const report = await verifyLedger({ ledger, store, publicKeys: verificationKeysFromEnv(env), requireComplete: values['require-complete'] === true, onProgress: (progress) => bar(progress.entries) });
          bar.done();
          io.out.write(summary(report));
          return report.ok ? 0 : 1;
        } finally {
          await store.close();
        }
      }
      case 'export': {
        const events = values.case === undefined ? await allEvents(ledger) : await ledger.eventsOfCase(values.case);
        await emit(exportText(events, format(values.format)));
        io.err.write(`exported ${events.length} events${values.case === undefined ? '' : ` of case ${values.case}`}\n`);
        return 0;
      }
      case 'report': {
        const name = positionals[0];
        if (name === undefined || !isReportName(name)) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `audit report needs one of ${REPORT_NAMES.join(', ')}`, { field: 'report' });
        if (values.from === undefined || values.to === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'audit report needs --from and --to (instants)', { field: values.from === undefined ? 'from' : 'to' });
        await emit(complianceReportCsv(name, complianceReport(name, await allEvents(ledger), { from: values.from, to: values.to })));
        return 0;
      }
      default:
        io.err.write(`Unknown command "${command}".\n\n${usage()}`);
        return 2;
    }
  } catch (error) {
    io.err.write(`audit ${command}: ${isArrearsError(error) ? `${error.code}${error.field ? ` (${error.field})` : ''}: ${error.message}` : error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await pool?.end();
  }
}

function missing(command: string, what: string): never {
  throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `audit ${command} needs ${what}`, { field: 'arguments' });
}

function format(value: string | undefined): 'jsonl' | 'csv' {
  if (value === undefined || value === 'jsonl') return 'jsonl';
  if (value === 'csv') return 'csv';
  throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `--format is jsonl or csv, not ${value}`, { field: 'format' });
}

/** A progress bar on a terminal, a line every tenth otherwise; `done()` ends it. */
function progressBar(err: CliOutput['err'], total: number): ((count: number) => void) & { done(): void } {
  let lastTenth = -1;
  const draw = (count: number) => {
    const share = total === 0 ? 1 : Math.min(1, count / total);
    if (err.isTTY === true) {
      const filled = Math.round(share * 30);
      err.write(`\rverifying [${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${count.toLocaleString('en')}/${total.toLocaleString('en')} entries`);
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      err.write(`verifying: ${count.toLocaleString('en')}/${total.toLocaleString('en')} entries\n`);
    }
  };
  return Object.assign(draw, { done: () => void (err.isTTY === true ? err.write('\n') : undefined) });
}

function summary(report: LedgerReport): string {
  const lines = [
    `entries checked: ${report.entriesChecked} (head ${report.headSeq}), case entries: ${report.caseEntriesChecked} in ${report.cases} cases`,
    `store events compared: ${report.storeEventsChecked}${report.behind > 0 ? ` (${report.behind} not yet recorded)` : ''}, checkpoints: ${report.checkpointsChecked}`,
  ];
  if (report.firstProblem !== null) lines.push(`first problem: ${JSON.stringify(report.firstProblem)}`);
  lines.push(report.ok ? 'VERIFIED: the ledger matches its chains, its checkpoints and the event store.' : `FAILED: ${report.problemCount} problem(s) found.`);
  return `${lines.join('\n')}\n`;
}

function usage(): string {
  return [
    'usage: npm run arrears -- audit <command> [options]',
    '  replay <caseId> [--format jsonl|csv] [--out FILE]   the case timeline across every service, with each decision’s reasons',
    '  as-of <caseId> <instant> [--basis recorded|occurred] the case’s state as of an instant',
    '  diff <caseId> <instant> <instant>                    what changed between two instants',
    '  verify [--require-complete]                           recompute the chains, check checkpoints, compare with the event store',
    '  export [--case ID] [--format jsonl|csv] [--out FILE]  the ledger (or one case) as JSONL envelopes or a CSV timeline',
    `  report <${REPORT_NAMES.join('|')}> --from <instant> --to <instant> [--out FILE]`,
    'options: --database-url, --schema (ledger; ARREARS_AUDIT_LEDGER_SCHEMA), --store-schema (ARREARS_STORE_SCHEMA)',
    'EVENTSTOREDB_URL set: verify compares with EventStoreDB instead of the PostgreSQL event store',
    '',
  ].join('\n');
}
