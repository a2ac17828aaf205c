import { InMemoryEventStore } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import { Pool } from 'pg';
import { buildPackage } from './build-package';
import type { BuiltPackage } from './evidence-package';
import { gatherCase } from './gather';
import { PostgresPackageStore } from './postgres-package-store';
import { signerFromEnv } from './signer';
import { appendCaseHistory } from './testing/case-history';
import { describePackageStore } from './testing/package-store-suite';

describePackageStore({
  name: 'PostgreSQL',
  create: async () => {
    const schema = await createTestSchema('evidence_store');
    const store = new PostgresPackageStore({ pool: schema.pool, schema: schema.name });
    await store.migrate();
    return { store, teardown: () => schema.drop() };
  },
});

describe('PostgresPackageStore', () => {
  let schema: TestSchema;
  let store: PostgresPackageStore;
  let pkg: BuiltPackage;

  beforeAll(async () => {
    schema = await createTestSchema('evidence_store');
    // Instances starting at once all migrate; none fails, and the tables are made once.
    const other = new Pool({ connectionString: databaseUrl(), max: 2 });
    try {
      await Promise.all([new PostgresPackageStore({ pool: schema.pool, schema: schema.name }).migrate(), new PostgresPackageStore({ pool: other, schema: schema.name }).migrate()]);
    } finally {
      await other.end();
    }
    store = new PostgresPackageStore({ pool: schema.pool, schema: schema.name });
    const events = new InMemoryEventStore();
    const history = await appendCaseHistory(events);
    pkg = await buildPackage({
      caseId: history.caseId,
      accountId: history.accountId,
      reasons: history.reasons,
      requestedAt: history.requestedAt,
      events: await gatherCase(events, history.streams, history.caseId),
      signer: signerFromEnv({ NODE_ENV: 'test' }),
    });
    await store.put(pkg);
  });

  afterAll(async () => {
    await schema?.drop();
  });

  const table = (name: string) => `"${schema.name}".${name}`;

  it('keeps one row per package, one per item, the bytes as bytea, the manifest as it was signed', async () => {
    await store.put(pkg);
    const packages = await schema.pool.query(`select package_id, case_id, key_id, manifest, signature from ${table('packages')}`);
    expect(packages.rows).toEqual([{ package_id: pkg.packageId, case_id: pkg.manifest.caseId, key_id: pkg.manifest.keyId, manifest: pkg.manifestBytes, signature: pkg.signature }]);
    const items = await schema.pool.query<{ name: string; bytes: Buffer }>(`select name, bytes from ${table('package_items')} order by name`);
    expect(items.rows.map((row) => row.name)).toEqual(pkg.items.map((item) => item.name).sort());
    expect(items.rows.find((row) => row.name === 'summary.pdf')?.bytes.equals(pkg.items.find((item) => item.name === 'summary.pdf')?.bytes ?? Buffer.alloc(0))).toBe(true);
  });

  it.each([
    ['update a package', () => `update ${table('packages')} set signature = 'x'`],
    ['delete a package', () => `delete from ${table('packages')}`],
    ['update an item', () => `update ${table('package_items')} set bytes = '\\x00'::bytea where name = 'summary.pdf'`],
    ['delete an item', () => `delete from ${table('package_items')} where name = 'flags.json'`],
    ['truncate the items', () => `truncate ${table('package_items')}`],
  ])('is insert-only: an attempt to %s is refused and changes nothing', async (_name, sql) => {
    await expect(schema.pool.query(sql())).rejects.toMatchObject({ code: 'AR423', message: expect.stringContaining('is insert-only') });
    const got = await store.get(pkg.packageId);
    expect(got?.signature).toBe(pkg.signature);
    expect(got?.items.map((item) => item.bytes)).toEqual(pkg.items.map((item) => item.bytes));
  });

  it('refuses a schema name that is not a plain PostgreSQL name', () => {
    expect(() => new PostgresPackageStore({ pool: schema.pool, schema: 'Evidence"; drop' })).toThrow('The evidence schema must be a lower-case PostgreSQL name');
  });
});
