import { quoteIdentifier, runMigrations } from '@arrears/event-store';
import type { Pool } from 'pg';
import { checkPackageIntegrity, type EvidencePackage } from './evidence-package';
import { checkCaseId } from './gather';
import type { PackageStore } from './package-store';
import { DEFAULT_EVIDENCE_SCHEMA, EVIDENCE_MIGRATIONS, evidenceSchemaName } from './schema';

export interface PostgresPackageStoreOptions {
  readonly pool: Pool;
  /** Default `legal_evidence`, shared with the case index. */
  readonly schema?: string;
}

interface PackageRow {
  package_id: string;
  manifest: Buffer;
  signature: string;
}

interface ItemRow {
  name: string;
  sha256: string;
  bytes: Buffer;
}

/**
 * Packages in PostgreSQL: `<schema>.packages` (one row per package id: the manifest's bytes, the signature, the case)
 * and `<schema>.package_items` (each item's bytes). This code only ever inserts, `on conflict do nothing`, and
 * the tables' triggers refuse any update, delete or truncate, so a stored package stays as it was fixed.
 */
export class PostgresPackageStore implements PackageStore {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly packages: string;
  private readonly items: string;

  constructor(options: PostgresPackageStoreOptions) {
    this.pool = options.pool;
    this.schema = evidenceSchemaName(options.schema ?? DEFAULT_EVIDENCE_SCHEMA);
    this.packages = `${quoteIdentifier(this.schema)}.packages`;
    this.items = `${quoteIdentifier(this.schema)}.package_items`;
  }

  /** Creates or upgrades the schema; safe from every instance at once (the migrations hold an advisory lock). */
  migrate(): Promise<void> {
    return runMigrations(this.pool, this.schema, EVIDENCE_MIGRATIONS);
  }

  /**
   * One transaction: the package row, then its items. A second put of the same id (concurrent or later) finds the
   * row taken and writes nothing; since the id is the hash of a manifest that lists every item's hash, what is
   * stored is what it would have written.
   */
  async put(pkg: EvidencePackage): Promise<boolean> {
    const manifest = checkPackageIntegrity(pkg);
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const inserted = await client.query(
        `insert into ${this.packages} (package_id, case_id, account_id, requested_at, key_id, manifest, signature)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (package_id) do nothing`,
        [pkg.packageId, manifest.caseId, manifest.accountId, manifest.requestedAt, manifest.keyId, pkg.manifestBytes, pkg.signature],
      );
      if (inserted.rowCount === 1) {
        await client.query(
          `insert into ${this.items} (package_id, name, sha256, bytes)
           select $1, name, sha256, bytes from unnest($2::text[], $3::text[], $4::bytea[]) as item(name, sha256, bytes)`,
          [pkg.packageId, pkg.items.map((item) => item.name), pkg.items.map((item) => item.sha256), pkg.items.map((item) => item.bytes)],
        );
      }
      await client.query('commit');
      return inserted.rowCount === 1;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async get(packageId: string): Promise<EvidencePackage | undefined> {
    if (!/^[0-9a-f]{64}$/.test(packageId)) return undefined;
    const { rows } = await this.pool.query<PackageRow>(`select package_id, manifest, signature from ${this.packages} where package_id = $1`, [packageId]);
    return rows[0] === undefined ? undefined : this.withItems(rows[0]);
  }

  async latestFor(caseId: string): Promise<EvidencePackage | undefined> {
    const { rows } = await this.pool.query<PackageRow>(
      `select package_id, manifest, signature from ${this.packages} where case_id = $1 order by requested_at desc, stored_at desc, package_id limit 1`,
      [checkCaseId(caseId)],
    );
    return rows[0] === undefined ? undefined : this.withItems(rows[0]);
  }

  private async withItems(row: PackageRow): Promise<EvidencePackage> {
    const { rows } = await this.pool.query<ItemRow>(`select name, sha256, bytes from ${this.items} where package_id = $1`, [row.package_id]);
    // The manifest's order, not the table's: a reader gets the package as it was built.
    const order = new Map<string, number>();
    try {
      const listed = JSON.parse(row.manifest.toString('utf8')) as { items?: { name?: string }[] };
      listed.items?.forEach((item, index) => order.set(String(item.name), index));
    } catch {
      // An unreadable manifest is for verifyPackage to report; the items are still returned.
    }
    const rank = (name: string) => order.get(name) ?? Number.MAX_SAFE_INTEGER;
    return {
      packageId: row.package_id,
      manifestBytes: row.manifest,
      signature: row.signature,
      items: rows.map((item) => ({ name: item.name, sha256: item.sha256, bytes: item.bytes })).sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1)),
    };
  }
}
