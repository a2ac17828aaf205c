import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import { buildPackage } from './build-package';
import { CaseIndex } from './case-index';
import type { BuiltPackage } from './evidence-package';
import { main } from './evidence-cli';
import { gatherCase } from './gather';
import { ITEM_NAMES } from './manifest';
import { PostgresPackageStore } from './postgres-package-store';
import { signerFromEnv } from './signer';
import { appendCaseHistory, laterLegalEvent, type CaseHistory } from './testing/case-history';
import { verifyPackage } from './verify';

/**
 * The evidence of a realistic case, end to end on PostgreSQL: events indexed as the service would feed them, the
 * history gathered, the package built, stored, exported with the CLI, tampered with on disk and in the event store,
 * and verified with the CLI — each difference named, the exit code non-zero.
 */
describe('evidence packages end to end', () => {
  const signer = signerFromEnv({ NODE_ENV: 'test' });
  let eventSchema: TestSchema;
  let evidenceSchema: TestSchema;
  let events: PostgresEventStore;
  let index: CaseIndex;
  let packages: PostgresPackageStore;
  let indexedUpTo: EventEnvelope['globalPosition'] | undefined;
  const dirs: string[] = [];

  beforeAll(async () => {
    eventSchema = await createTestSchema('ev');
    evidenceSchema = await createTestSchema('legal_ev');
    events = new PostgresEventStore({ pool: eventSchema.pool, schema: eventSchema.name });
    await events.migrate();
    index = new CaseIndex({ pool: evidenceSchema.pool, schema: evidenceSchema.name });
    packages = new PostgresPackageStore({ pool: evidenceSchema.pool, schema: evidenceSchema.name });
    await Promise.all([index.migrate(), packages.migrate()]);
  });

  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    await eventSchema?.drop();
    await evidenceSchema?.drop();
  });

  /** What the service does: feed every new event to the index, gather the case, build, store, record EvidenceFixed. */
  async function fixEvidence(): Promise<{ history: CaseHistory; pkg: BuiltPackage }> {
    const history = await appendCaseHistory(events);
    // The log shows an event once no earlier transaction can still commit before it: with other suites writing to
    // the same server, a read may stop short of what was just appended. Read on until every event is indexed.
    const unindexed = new Set([...history.events, ...history.otherEvents].map((event) => event.eventId));
    for (const deadline = Date.now() + 10_000; unindexed.size > 0; await new Promise((resolve) => setTimeout(resolve, 20))) {
      if (Date.now() > deadline) throw new Error(`${unindexed.size} appended events never showed in the store's log`);
      for (const event of await events.readAll(indexedUpTo === undefined ? {} : { after: indexedUpTo })) {
        await index.record(event);
        indexedUpTo = event.globalPosition;
        unindexed.delete(event.eventId);
      }
    }
    const gathered = await gatherCase(events, await index.streamsOf(history.caseId), history.caseId);
    const pkg = await buildPackage({ caseId: history.caseId, accountId: history.accountId, reasons: history.reasons, requestedAt: history.requestedAt, events: gathered, signer });
    expect(await packages.put(pkg)).toBe(true);
    await events.appendToStream(`legal-${history.caseId}`, [laterLegalEvent(history.caseId, pkg.packageId)], { expectedVersion: 'any' });
    return { history, pkg };
  }

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    return cliWith({}, ...argv);
  }

  async function cliWith(extraEnv: NodeJS.ProcessEnv, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const env = { NODE_ENV: 'test', DATABASE_URL: databaseUrl(), ARREARS_STORE_SCHEMA: eventSchema.name, ARREARS_LEGAL_EVIDENCE_SCHEMA: evidenceSchema.name, ...extraEnv };
    const code = await main(argv, { out: { write: (text: string) => (out += text) }, err: { write: (text: string) => (err += text) } }, env);
    return { code, out, err };
  }

  async function exported(pkg: BuiltPackage): Promise<string> {
    const parent = await mkdtemp(path.join(tmpdir(), 'evidence-e2e-'));
    dirs.push(parent);
    const dir = path.join(parent, pkg.packageId.slice(0, 12));
    const result = await cli('export', pkg.packageId, '--out', dir);
    expect(result).toMatchObject({ code: 0, out: expect.stringContaining(`Exported package ${pkg.packageId} (8 files) to ${dir}`) });
    return dir;
  }

  it('gathers exactly the case\'s history through the index and fixes it in a package the store gives back', async () => {
    const { history, pkg } = await fixEvidence();
    expect(pkg.manifest.events.map((event) => event.eventId)).toEqual(history.events.map((event) => event.eventId));
    expect((await packages.latestFor(history.caseId))?.packageId).toBe(pkg.packageId);
    const report = await verifyPackage(pkg, { publicKey: signer.publicKey, store: events, streams: await index.streamsOf(history.caseId) });
    expect(report).toMatchObject({ ok: true, events: [expect.objectContaining({ kind: 'added', since: true, type: 'EvidenceFixed' })] });
  });

  it('exports a package to a directory that verifies, by directory and by id, naming the EvidenceFixed added since', async () => {
    const { history, pkg } = await fixEvidence();
    const dir = await exported(pkg);
    expect((await readdir(dir)).sort()).toEqual([...ITEM_NAMES, 'manifest.json', 'manifest.sig'].sort());

    for (const target of [dir, pkg.packageId]) {
      const result = await cli('verify', target);
      expect(result.code).toBe(0);
      expect(result.out).toContain(`Evidence package ${pkg.packageId}`);
      expect(result.out).toContain(`events: ${history.events.length} in the package; ${history.events.length} unchanged in the event store`);
      expect(result.out).toMatch(/added since the package was fixed: 1 event\(s\)[^\n]*\n\s+event [0-9a-f-]+: EvidenceFixed at legal-/);
      expect(result.out).toContain('VERIFIED');
    }
    expect((await cli('verify', dir, '--strict')).code).toBe(1);
  });

  it('names a byte flipped in an exported file, and exits non-zero', async () => {
    const { pkg } = await fixEvidence();
    const dir = await exported(pkg);
    const file = path.join(dir, 'contacts.json');
    const bytes = await readFile(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0x01;
    await writeFile(file, bytes);

    const result = await cli('verify', dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/item contacts\.json: ALTERED - its SHA-256 is [0-9a-f]{64} \(\d+ bytes\); the manifest lists [0-9a-f]{64}/);
    expect(result.out).toContain('signature: ok');
    expect(result.out).toContain('FAILED: 1 problem(s) found.');
  });

  it('names a directory whose manifest is not the package legal was given', async () => {
    const [first, second] = [await fixEvidence(), await fixEvidence()];
    const dir = await exported(second.pkg);
    const result = await cli('verify', dir, '--id', first.pkg.packageId);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`manifest: BAD - manifest.json hashes to ${second.pkg.packageId}, not to the package id ${first.pkg.packageId}`);
  });

  it('names an event altered, one dropped and one slipped into the history in the event store itself', async () => {
    const { history, pkg } = await fixEvidence();
    const payment = history.events.find((event) => event.type === 'PaymentPosted') as EventEnvelope;
    const outcome = history.events.find((event) => event.type === 'AttemptOutcomeRecorded') as EventEnvelope;
    const broken = history.events.find((event) => event.type === 'PromiseBroken') as EventEnvelope;
    const table = `"${eventSchema.name}".events`;
    await eventSchema.pool.query(`update ${table} set data = jsonb_set(data, '{amount,minor}', '999999') where event_id = $1`, [payment.eventId]);
    await eventSchema.pool.query(`delete from ${table} where event_id = $1`, [outcome.eventId]);
    // Another event put at the broken promise's place, as if it had been there all along.
    await eventSchema.pool.query(`update ${table} set event_id = gen_random_uuid(), event_type = 'PromiseKept' where event_id = $1`, [broken.eventId]);

    const result = await cli('verify', pkg.packageId);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`event ${payment.eventId}: ALTERED - PaymentPosted at ${payment.streamId} position ${payment.streamPosition}`);
    expect(result.out).toContain('changed: data.amount.minor');
    expect(result.out).toContain(`event ${outcome.eventId}: DROPPED - AttemptOutcomeRecorded at ${outcome.streamId} position ${outcome.streamPosition}`);
    expect(result.out).toContain(`event ${broken.eventId}: DROPPED - PromiseBroken at ${broken.streamId} position ${broken.streamPosition}`);
    expect(result.out).toMatch(new RegExp(`ADDED INSIDE THE FIXED HISTORY - PromiseKept at ${broken.streamId} position ${broken.streamPosition}`));
    expect(result.out).toContain('FAILED: 4 problem(s) found.');
  });

  it('compares with EventStoreDB when EVENTSTOREDB_URL is set: the PostgreSQL event store is not read, and an unreachable server is UNAVAILABLE', async () => {
    const { pkg } = await fixEvidence();
    // A schema with no event store would stop a PostgreSQL verification (exit 2); with EventStoreDB it is not looked at.
    const esdb = { EVENTSTOREDB_URL: 'esdb://127.0.0.1:1?tls=false&defaultDeadline=2000', ARREARS_STORE_SCHEMA: 'no_event_store_here' };
    await expect(cliWith(esdb, 'verify', pkg.packageId)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE, message: expect.stringMatching(/^The EventStoreDB event store cannot be reached/) });
    expect(await cliWith({ ...esdb, EVENTSTOREDB_URL: 'http://esdb:2113' }, 'verify', pkg.packageId)).toMatchObject({ code: 2, err: expect.stringContaining('EVENTSTOREDB_URL is not an EventStoreDB connection string') });
    expect(await cliWith({ ARREARS_STORE_SCHEMA: 'no_event_store_here' }, 'verify', pkg.packageId)).toMatchObject({ code: 2, err: expect.stringContaining('There is no event store in schema no_event_store_here') });
  });

  it('exits 2 with a clear message when the package, the directory or the store is not there', async () => {
    expect(await cli('verify', 'f'.repeat(64))).toMatchObject({ code: 2, err: expect.stringContaining('is neither a directory nor a package in the evidence store') });
    expect(await cli('export', 'f'.repeat(64), '--out', path.join(tmpdir(), 'never-written'))).toMatchObject({ code: 2, err: expect.stringContaining(`No package ${'f'.repeat(64)}`) });
    expect(await cli('verify', 'f'.repeat(64), '--schema', 'no_such_schema')).toMatchObject({ code: 2, err: expect.stringContaining('There is no evidence store in schema no_such_schema') });
    expect(await cli('export', 'f'.repeat(64))).toMatchObject({ code: 2, err: expect.stringContaining('needs --out DIR') });
    expect(await cli('verify')).toMatchObject({ code: 2 });
    expect(await cli('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command "frobnicate"') });
  });
});
