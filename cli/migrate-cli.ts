import { randomBytes } from 'node:crypto';
import { PostgresCheckpointStore } from '@arrears/messaging';
import { relayConfig } from '@arrears/messaging/src/relay/relay-config';
import { Closers, openPlatformStores } from '@arrears/platform';
import { PostgresTimerStore } from '@arrears/timers';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { openReadModels as openAccountReadModels } from '@arrears/accounts/src/read-models';
import { AuditLedger } from '@arrears/audit/src/ledger';
import { openWorkflowReadModels } from '@arrears/case-workflow/src/read-models';
import { openContactReadModels } from '@arrears/contact-attempts/src/read-models';
import { CaseIndex } from '@arrears/legal-escalation/src/evidence';
import { openLegalReadModels } from '@arrears/legal-escalation/src/read-models';
import { openPlanReadModels } from '@arrears/payment-plans/src/read-models';
import { openPromiseReadModels } from '@arrears/promises-to-pay/src/read-models';

/**
 * `npm run arrears -- migrate`: every schema the relay and the services migrate at start, brought up to date by the
 * same code they run (each step below names the function it shares with them), then exit. In Kubernetes it is the
 * Job that runs before a rollout (k8s/base/migrate-job.yaml); the services still migrate at start, and find nothing
 * left to do. Every runner holds a PostgreSQL advisory lock per schema, so this may run beside starting services or
 * a second copy of itself.
 */
interface Step {
  readonly name: string;
  run(databaseUrl: string, env: NodeJS.ProcessEnv, pool: Pool): Promise<void>;
}

const schema = (env: NodeJS.ProcessEnv, variable: string): { schema?: string } => (env[variable] ? { schema: env[variable] } : {});

/** A service's read models, as its start opens them (connect and migrate), closed again. */
const readModels = (name: string, variable: string, open: (options: { url: string; schema?: string; poolSize?: number }) => Promise<DataSource>): Step => ({
  name: `${name} read models`,
  run: async (url, env) => {
    const dataSource = await open({ url, poolSize: 2, ...schema(env, variable) });
    await dataSource.destroy();
  },
});

export const MIGRATION_STEPS: readonly Step[] = [
  {
    // openPlatformStores, as every service's start: the event store and the personal-data keys' table. Migrating
    // wraps no key, so the master key is not needed here and a throwaway one keeps the Job free of the secret.
    name: 'event store and personal-data keys',
    run: async (databaseUrl, env) => {
      const closers = new Closers();
      try {
        await openPlatformStores(
          {
            databaseUrl,
            applicationName: 'arrears-migrate',
            ...(env['ARREARS_STORE_SCHEMA'] ? { storeSchema: env['ARREARS_STORE_SCHEMA'] } : {}),
            ...(env['ARREARS_PII_SCHEMA'] ? { keySchema: env['ARREARS_PII_SCHEMA'] } : {}),
            masterKey: randomBytes(32),
          },
          closers,
        );
      } finally {
        await closers.closeAll();
      }
    },
  },
  {
    // The relay's checkpoints, with the relay's own reading of its settings (ARREARS_RELAY_SCHEMA).
    name: 'relay checkpoints',
    run: (_url, env, pool) => new PostgresCheckpointStore({ pool, schema: relayConfig({}, env).relaySchema }).migrate(),
  },
  {
    // openServiceTimers' migration (promises-to-pay, payment-plans, case-workflow, legal-escalation).
    name: 'durable timers',
    run: (_url, env, pool) => new PostgresTimerStore({ pool, ...schema(env, 'ARREARS_TIMER_SCHEMA') }).migrate(),
  },
  readModels('accounts', 'ARREARS_ACCOUNTS_READ_SCHEMA', openAccountReadModels),
  readModels('contact-attempts', 'ARREARS_CONTACT_READ_SCHEMA', openContactReadModels),
  readModels('promises-to-pay', 'ARREARS_PROMISES_READ_SCHEMA', openPromiseReadModels),
  readModels('payment-plans', 'ARREARS_PLANS_READ_SCHEMA', openPlanReadModels),
  readModels('case-workflow', 'ARREARS_WORKFLOW_READ_SCHEMA', openWorkflowReadModels),
  readModels('legal-escalation', 'ARREARS_LEGAL_READ_SCHEMA', openLegalReadModels),
  {
    // legal-escalation's start: the case index and the package store share one list of migrations.
    name: 'legal-escalation evidence',
    run: (_url, env, pool) => new CaseIndex({ pool, ...schema(env, 'ARREARS_LEGAL_EVIDENCE_SCHEMA') }).migrate(),
  },
  {
    // audit's start: the ledger, as its owner, with the writer role it grants rights to.
    name: 'audit ledger',
    run: (_url, env, pool) => new AuditLedger({ pool, ...schema(env, 'ARREARS_AUDIT_LEDGER_SCHEMA') }).migrate(),
  },
];

export interface CliOutput {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

/** `npm run arrears -- migrate [run|help]`; resolves with the exit code. */
export async function main(argv: string[], io: CliOutput = { out: process.stdout, err: process.stderr }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command = 'run', ...rest] = argv;
  if (command === 'help' || command === '--help') {
    io.out.write(usage());
    return 0;
  }
  if (command !== 'run' || rest.length > 0) {
    io.err.write(`Unknown arguments "${argv.join(' ')}".\n\n${usage()}`);
    return 2;
  }
  const databaseUrl = env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const pool = new Pool({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000, max: 2, application_name: 'arrears-migrate' });
  pool.on('error', () => undefined);
  const started = Date.now();
  try {
    for (const [index, step] of MIGRATION_STEPS.entries()) {
      const at = Date.now();
      io.err.write(`[migrate] ${index + 1}/${MIGRATION_STEPS.length} ${step.name}…\n`);
      await step.run(databaseUrl, env, pool);
      io.err.write(`[migrate] ${index + 1}/${MIGRATION_STEPS.length} ${step.name}: up to date (${Date.now() - at} ms)\n`);
    }
  } finally {
    await pool.end();
  }
  io.out.write(`Migrated ${MIGRATION_STEPS.length} schema groups in ${((Date.now() - started) / 1_000).toFixed(1)} s: ${MIGRATION_STEPS.map((step) => step.name).join(', ')}.\n`);
  return 0;
}

function usage(): string {
  return `Usage:
  npm run arrears -- migrate [run]
      Brings every schema the relay and the services migrate at start up to date, then exits:
      ${MIGRATION_STEPS.map((step) => step.name).join(', ')}.

Reads DATABASE_URL and the schema variables the services read (README, "Configuration"): ARREARS_STORE_SCHEMA,
ARREARS_PII_SCHEMA, ARREARS_RELAY_SCHEMA, ARREARS_TIMER_SCHEMA, ARREARS_*_READ_SCHEMA, ARREARS_LEGAL_EVIDENCE_SCHEMA,
ARREARS_AUDIT_LEDGER_SCHEMA. Safe beside starting services and a second copy of itself (advisory locks per schema).
`;
}
