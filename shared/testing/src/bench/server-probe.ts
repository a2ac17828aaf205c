import { cpus } from 'node:os';
import { Client } from 'pg';
import { CLOCK_TICKS, machineTicks, processTicks } from './cpu';
import { percentile } from './stats';

/** What one timed run cost the machine: the figures the "what limits it" note is derived from. */
export interface ResourceUse {
  readonly wallSeconds: number;
  /** CPU seconds this Node process used (client side: drivers, validation, JSON). */
  readonly clientCpuSeconds: number;
  /** CPU seconds of the benchmark database's client backends other than the probe's (not the WAL writer or checkpointer). */
  readonly serverCpuSeconds: number;
  /** CPU seconds of everything else: PostgreSQL's background processes and whatever else runs on the machine. */
  readonly otherCpuSeconds: number;
  /** Busy share of all cores, 0..1. */
  readonly machineBusy: number;
  /** WAL the server wrote (cluster-wide, from the WAL insert position). */
  readonly walBytes: number;
  /** WAL flushes (fsyncs) the server did, from pg_stat_wal (cluster-wide). */
  readonly walSyncs: number;
}

interface Snapshot {
  readonly at: number;
  readonly client: NodeJS.CpuUsage;
  readonly machine: { busy: number; total: number };
  readonly backends: Map<number, number>;
  readonly lsn: string;
  readonly walSyncs: number;
}

/** A measured span: `end` takes the closing figures; `settle` runs after them (closing the pool, say). */
export interface Span {
  end(settle?: () => Promise<void>): Promise<ResourceUse>;
}

/**
 * Reads the server's counters on a connection of its own, outside the pools being measured: a benchmark runs in a
 * database of its own (`createTestDatabase`), so that database's backends are the benchmark's.
 */
export class ServerProbe {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<ServerProbe> {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    await client.connect();
    return new ServerProbe(client);
  }

  async info(): Promise<{ version: string; settings: Record<string, string> }> {
    const version = (await this.client.query<{ v: string }>('select version() as v')).rows[0]?.v ?? 'unknown';
    const names = ['synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'full_page_writes', 'shared_buffers', 'max_connections'];
    const { rows } = await this.client.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [names],
    );
    return { version, settings: Object.fromEntries(rows.map((row) => [row.name, row.unit ? `${row.setting} ${row.unit}` : row.setting])) };
  }

  /** Median time of a `select 1` round trip: what the network and protocol cost, with no commit. */
  async roundTripMs(samples = 200): Promise<number> {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      await this.client.query('select 1');
      times.push(performance.now() - start);
    }
    return percentile(times, 0.5);
  }

  async query(text: string): Promise<void> {
    await this.client.query(text);
  }

  /**
   * Autovacuum would start on whichever table crossed its threshold, in the middle of a timed slice:
   * it is turned off for every table of the benchmark database, and `settle` does its work between workloads.
   */
  async disableAutovacuum(): Promise<void> {
    const { rows } = await this.client.query<{ name: string }>(
      `select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')`,
    );
    for (const { name } of rows) await this.client.query(`alter table ${name} set (autovacuum_enabled = off)`);
  }

  /** Vacuum, statistics and a checkpoint between workloads, so each starts from the same state for every contender. */
  async settle(): Promise<void> {
    await this.client.query('vacuum (analyze)');
    await this.client.query('checkpoint');
  }

  /**
   * Starts a measured span. Server CPU is that of this database's backends other than the probe's own — the
   * benchmark's connections, open before the span begins — read from /proc; WAL volume from the insert position. The flush
   * count is read a moment after `settle`, because backends report WAL statistics when they go idle or exit.
   */
  async begin(): Promise<Span> {
    const before = await this.snapshot();
    return {
      end: async (settle) => {
        const after = await this.snapshot();
        await settle?.();
        await new Promise((resolve) => setTimeout(resolve, 150));
        return this.use(before, after, (await this.walSyncs()) - before.walSyncs);
      },
    };
  }

  close(): Promise<void> {
    return this.client.end();
  }

  private async use(before: Snapshot, after: Snapshot, walSyncs: number): Promise<ResourceUse> {
    const diff = await this.client.query<{ bytes: string }>('select pg_wal_lsn_diff($1, $2)::text as bytes', [after.lsn, before.lsn]);
    const client = process.cpuUsage(before.client);
    const clientCpuSeconds = (client.user + client.system) / 1e6;
    let serverTicks = 0;
    for (const [pid, ticks] of after.backends) serverTicks += ticks - (before.backends.get(pid) ?? 0);
    const serverCpuSeconds = serverTicks / CLOCK_TICKS;
    const wallSeconds = (after.at - before.at) / 1000;
    const machineBusy = (after.machine.busy - before.machine.busy) / Math.max(1, after.machine.total - before.machine.total);
    const machineCpuSeconds = machineBusy * cpus().length * wallSeconds;
    return {
      wallSeconds,
      clientCpuSeconds,
      serverCpuSeconds,
      otherCpuSeconds: Math.max(0, machineCpuSeconds - clientCpuSeconds - serverCpuSeconds),
      machineBusy,
      walBytes: Number(diff.rows[0]?.bytes ?? 0),
      walSyncs,
    };
  }

  private async snapshot(): Promise<Snapshot> {
    const { rows } = await this.client.query<{ lsn: string; pids: number[] }>(
      `select pg_current_wal_insert_lsn()::text as lsn,
              array(select pid from pg_stat_activity
                     where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()) as pids`,
    );
    const row = rows[0] ?? { lsn: '0/0', pids: [] };
    const walSyncs = await this.walSyncs();
    return { at: performance.now(), client: process.cpuUsage(), machine: machineTicks(), backends: processTicks(row.pids), lsn: row.lsn, walSyncs };
  }

  private async walSyncs(): Promise<number> {
    return Number((await this.client.query<{ syncs: string }>('select wal_sync::text as syncs from pg_stat_wal')).rows[0]?.syncs ?? 0);
  }
}
