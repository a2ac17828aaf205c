import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ArrearsError, ErrorCode, isArrearsError } from '@arrears/contracts';
import { eventStoreDbUrlFromEnv, openEventStore, quoteIdentifier } from '@arrears/event-store';
import { Pool } from 'pg';
import { CaseIndex } from './case-index';
import type { EvidencePackage } from './evidence-package';
import { parseManifest } from './manifest';
import { readPackageDir, writePackageDir } from './package-dir';
import { PostgresPackageStore } from './postgres-package-store';
import { DEFAULT_EVIDENCE_SCHEMA, evidenceSchemaName } from './schema';
import { keyIdOf, verificationKeysFromEnv } from './signer';
import { verifyPackage } from './verify';

export interface CliOutput {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_STORE_SCHEMA = 'arrears_events';
export const EVIDENCE_SCHEMA_ENV = 'ARREARS_LEGAL_EVIDENCE_SCHEMA';

const OPTIONS = {
  out: { type: 'string' },
  id: { type: 'string' },
  strict: { type: 'boolean' },
  schema: { type: 'string' },
  'store-schema': { type: 'string' },
  'database-url': { type: 'string' },
} as const;

/**
 * `npm run arrears -- legal <verify|export> …`: verify a package (from the store or a directory) against the event
 * store, or export one to a directory. Resolves with the exit code: 0 verified or exported, 1 verification failed,
 * 2 the command could not run (bad arguments, no such package, no store).
 */
export async function main(argv: string[], io: CliOutput = { out: process.stdout, err: process.stderr }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help') {
    io.out.write(usage());
    return 0;
  }
  if (command !== 'verify' && command !== 'export') {
    io.err.write(`${command === undefined ? 'A command is needed.' : `Unknown command "${command}".`}\n\n${usage()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: true });
    const [target, ...extra] = positionals;
    if (target === undefined || extra.length > 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `legal ${command} takes one ${command === 'export' ? 'package id' : 'package id or directory'}`, { field: 'target' });
    const config = {
      databaseUrl: values['database-url'] ?? env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL,
      storeSchema: values['store-schema'] ?? env['ARREARS_STORE_SCHEMA'] ?? DEFAULT_STORE_SCHEMA,
      evidenceSchema: evidenceSchemaName(values.schema ?? env[EVIDENCE_SCHEMA_ENV] ?? DEFAULT_EVIDENCE_SCHEMA),
    };
    if (command === 'export') {
      if (values.out === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'legal export needs --out DIR: the directory to write the package to', { field: 'out' });
      return await exportPackage(target, values.out, config, io);
    }
    return await verify(target, { ...config, strict: values.strict === true, expectedId: values.id, env }, io);
  } catch (error) {
    const cannotRun = isParseArgsError(error) || isArrearsError(error, ErrorCode.VALIDATION_FAILED) || isArrearsError(error, ErrorCode.NOT_FOUND) || isArrearsError(error, ErrorCode.STATE_CONFLICT);
    if (!cannotRun) throw error;
    io.err.write(`${error.message}\n(npm run arrears -- legal help lists the options)\n`);
    return 2;
  }
}

interface Config {
  readonly databaseUrl: string;
  readonly storeSchema: string;
  readonly evidenceSchema: string;
}

async function exportPackage(packageId: string, dir: string, config: Config, io: CliOutput): Promise<number> {
  return withPool(config, async (pool) => {
    await requireTable(pool, config.evidenceSchema, 'packages', 'evidence store');
    const pkg = await new PostgresPackageStore({ pool, schema: config.evidenceSchema }).get(packageId);
    if (pkg === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `No package ${packageId} in the evidence store (schema ${config.evidenceSchema})`, { field: 'packageId' });
    const files = await writePackageDir(pkg, dir);
    for (const file of files) io.err.write(`  wrote ${file}\n`);
    io.out.write(`Exported package ${pkg.packageId} (${files.length} files) to ${dir}. Check it with: npm run arrears -- legal verify ${dir}\n`);
    return 0;
  });
}

async function verify(target: string, config: Config & { strict: boolean; expectedId: string | undefined; env: NodeJS.ProcessEnv }, io: CliOutput): Promise<number> {
  const keys = verificationKeysFromEnv(config.env);
  return withPool(config, async (pool) => {
    let pkg: EvidencePackage;
    if (await isDirectory(target)) {
      pkg = await readPackageDir(target);
      io.err.write(`Read the package in ${target}: its manifest hashes to ${pkg.packageId}\n`);
      // A directory names no package by itself; checking it against the id legal was given is the point.
      if (config.expectedId !== undefined) pkg = { ...pkg, packageId: config.expectedId };
    } else {
      await requireTable(pool, config.evidenceSchema, 'packages', 'evidence store');
      const stored = await new PostgresPackageStore({ pool, schema: config.evidenceSchema }).get(target);
      if (stored === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `${target} is neither a directory nor a package in the evidence store (schema ${config.evidenceSchema})`, { field: 'target' });
      pkg = stored;
    }
    const eventStoreDbUrl = eventStoreDbUrlFromEnv(config.env);
    if (eventStoreDbUrl === undefined) await requireTable(pool, config.storeSchema, 'events', 'event store');
    const caseId = caseOf(pkg);
    const streams = caseId === undefined || !(await hasTable(pool, config.evidenceSchema, 'case_streams')) ? [] : await new CaseIndex({ pool, schema: config.evidenceSchema }).streamsOf(caseId);
    const where = eventStoreDbUrl === undefined ? `schema ${config.storeSchema}` : 'EventStoreDB, EVENTSTOREDB_URL';
    io.err.write(`Comparing with the event store (${where}): ${streams.length} indexed streams of case ${caseId ?? '?'}; accepted keys ${keys.map(keyIdOf).join(', ')}\n`);
    const store = openEventStore({ eventStoreDbUrl, postgres: { pool, schema: config.storeSchema } });
    try {
      const report = await verifyPackage(pkg, { publicKey: keys, store, streams, strict: config.strict });
      io.out.write(report.summary);
      return report.ok ? 0 : 1;
    } finally {
      await store.close();
    }
  });
}

function caseOf(pkg: EvidencePackage): string | undefined {
  try {
    return parseManifest(pkg.manifestBytes).caseId;
  } catch {
    return undefined;
  }
}

async function withPool<T>(config: Config, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = new Pool({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5_000, max: 2, application_name: 'arrears-legal-cli' });
  pool.on('error', () => undefined);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

async function hasTable(pool: Pool, schema: string, table: string): Promise<boolean> {
  const { rows } = await pool.query<{ found: string | null }>('select to_regclass($1)::text as found', [`${quoteIdentifier(schema)}.${quoteIdentifier(table)}`]);
  return rows[0]?.found !== null && rows[0]?.found !== undefined;
}

/** Reading a schema that is not there would look like a package whose every event was dropped. */
async function requireTable(pool: Pool, schema: string, table: string, what: string): Promise<void> {
  if (!(await hasTable(pool, schema, table))) throw new ArrearsError(ErrorCode.NOT_FOUND, `There is no ${what} in schema ${schema} of this database (its ${table} table is missing): check DATABASE_URL and the schema options`, { field: 'schema' });
}

async function isDirectory(target: string): Promise<boolean> {
  try {
    return (await stat(target)).isDirectory();
  } catch {
    return false;
  }
}

function isParseArgsError(error: unknown): error is Error {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function usage(): string {
  return `Usage:
  npm run arrears -- legal verify <packageId|DIR> [--strict] [--id <packageId>] [options]
      Checks the package's signature, every item against its SHA-256, and every event against the event store's
      current history of the case; prints what it found and exits 1 if anything is wrong.
      --strict          events added to the case since the package was fixed count as a failure too
      --id <packageId>  for a directory: the package id it must have (the one legal was given)
  npm run arrears -- legal export <packageId> --out DIR
      Writes the stored package to DIR: its six items, manifest.json and manifest.sig.

Options (a flag wins over its environment variable):
  --database-url URL      [DATABASE_URL, default ${DEFAULT_DATABASE_URL}]
  --store-schema NAME     the event store's schema [ARREARS_STORE_SCHEMA, default ${DEFAULT_STORE_SCHEMA}]
                          (EVENTSTOREDB_URL set: the events are read from EventStoreDB instead)
  --schema NAME           the evidence store's schema [${EVIDENCE_SCHEMA_ENV}, default ${DEFAULT_EVIDENCE_SCHEMA}]

Keys: ARREARS_LEGAL_VERIFY_KEYS (Ed25519 public keys, SPKI PEM or base64 DER, comma-separated) or, unset, the public
half of ARREARS_LEGAL_SIGNING_KEY (docs/evidence-packages.md).
`;
}
