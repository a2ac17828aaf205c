import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { natsTopology } from '@arrears/contracts';
import { connectNats, deleteStreams, natsUrl } from '@arrears/messaging';
import { createTestDatabase, uniqueName, type TestDatabase } from '@arrears/testing';
import { Client } from 'pg';
import type { Summary } from '../../scripts/simulate/summary';

const REPO_ROOT = path.resolve(__dirname, '../..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

/**
 * The CI proof of the portfolio simulator (docs/simulator.md): a small portfolio worked for 40 simulated days by the
 * whole platform, started by the simulator through the launcher with the accelerated clock, against the machine's
 * PostgreSQL (a database of this test's own) and NATS (a topology root of its own). The simulator's invariants must
 * hold — no compliance breach, every legal handoff delivered within 48 simulated hours or reported overdue, balances
 * that reconcile exactly with the payments accepted, every event in the audit ledger, which verifies — and the test
 * checks the money and the ledger again itself, from the event store and the read model.
 */
describe('npm run simulate on a small portfolio', () => {
  let database: TestDatabase;
  const topology = natsTopology(uniqueName('e2e_sim'));
  const dir = mkdtempSync(path.join(tmpdir(), 'simulate-e2e-'));
  const jsonFile = path.join(dir, 'summary.json');
  let env: NodeJS.ProcessEnv;
  let simulation: Run;
  let summary: Summary;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_simulate');
    env = { DATABASE_URL: database.url, NATS_URL: natsUrl(), ARREARS_TOPOLOGY_ROOT: topology.root, NODE_ENV: 'test' };
    // 40 accounts for 40 simulated days at 12 simulated hours a second: about 2 minutes with the platform's start and stop.
    simulation = await run(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', '--accounts', '40', '--days', '40', '--speed', '43200', '--seed', '7', '--json', jsonFile, '--settle-seconds', '90'], env, 240_000);
    summary = JSON.parse(readFileSync(jsonFile, 'utf8')) as Summary;
  }, 300_000);

  afterAll(async () => {
    const nats = await connectNats('e2e simulate cleanup');
    await deleteStreams(await nats.jetstreamManager(), topology);
    await nats.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs to the end and says every invariant holds', () => {
    const failed = summary.invariants.filter((invariant) => !invariant.ok);
    expect({ code: simulation.code, failed }).toEqual({ code: 0, failed: [] });
    expect(summary.invariants.map((invariant) => invariant.name)).toEqual(['no-compliance-breach', 'legal-handoffs-on-time', 'balances-reconcile', 'audit-ledger-complete']);
    expect(simulation.stdout).toContain('Every invariant holds.');
  });

  it('simulated weeks of collections: contacts asked of the compliance engine, some blocked, payments, promises, plans, handoffs to legal', () => {
    expect(summary.run).toMatchObject({ accounts: 40, days: 40, jurisdiction: 'US', missingRoutes: [] });
    expect(summary.portfolio.placedAccounts).toBe(40);
    expect(summary.contacts.allowed).toBeGreaterThan(100);
    expect(summary.contacts.blocked).toBeGreaterThan(0);
    expect(summary.recovery.paymentsAccepted).toBeGreaterThan(0);
    expect(summary.promises.recorded).toBeGreaterThan(0);
    expect(summary.plans.proposed).toBeGreaterThan(0);
    expect(summary.legal?.handoffs).toBeGreaterThan(0);
    expect(Object.values(summary.stages ?? {}).reduce((sum, n) => sum + n, 0)).toBe(40);
    expect(summary.unexpectedAnswers).toEqual({});
  });

  it('breached no compliance rule: no contact in quiet hours, no frequency cap exceeded', () => {
    expect(summary.compliance.quietHourContacts).toBe(0);
    expect(Object.values(summary.compliance.frequencyBreaches ?? { missing: 1 }).every((breaches) => breaches === 0)).toBe(true);
  });

  it('delivered every legal handoff within 48 simulated hours, or the saga reported it overdue', () => {
    const late = (summary.invariants.find((invariant) => invariant.name === 'legal-handoffs-on-time')?.examples ?? []) as unknown[];
    expect(late).toEqual([]);
    expect(summary.legal!.delivered + summary.legal!.refused).toBeLessThanOrEqual(summary.legal!.handoffs);
  });

  it('reconciles exactly, checked again from the store: each account owes what was placed less its payments, and the payments are those the simulator saw accepted', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ account_id: string; placed: string; paid: string; owed: string | null }>(
        `with placed as (
           select data->>'accountId' as account_id, (data->'balance'->>'principal')::bigint + (data->'balance'->>'fees')::bigint + (data->'balance'->>'interest')::bigint as placed
             from arrears_events.events where event_type = 'AccountPlaced'),
         paid as (
           select data->>'accountId' as account_id, sum((data->'amount'->>'minor')::bigint) as paid
             from arrears_events.events where event_type = 'PaymentPosted' group by 1)
         select p.account_id, p.placed, coalesce(y.paid, 0) as paid, s.total - s.credit as owed
           from placed p left join paid y using (account_id)
           left join accounts_read.account_summaries s on s.account_id = p.account_id::uuid`,
      );
      expect(rows).toHaveLength(40);
      expect(rows.filter((row) => row.owed === null || BigInt(row.owed) !== BigInt(row.placed) - BigInt(row.paid))).toEqual([]);
      expect(rows.reduce((sum, row) => sum + Number(row.paid), 0)).toBe(summary.recovery.collected);
    } finally {
      await client.end();
    }
  });

  it('recorded every event in the audit ledger, which verifies against the event store', async () => {
    expect(summary.ledger).toMatchObject({ ok: true, problemCount: 0, behind: 0 });
    const verify = await run('npm', ['run', '--silent', 'arrears', '--', 'audit', 'verify'], env, 120_000);
    expect({ code: verify.code, stderr: verify.code === 0 ? '' : verify.stderr }).toEqual({ code: 0, stderr: '' });
    expect(verify.stdout).toContain('VERIFIED');
  }, 150_000);
});
