import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the launcher keeps what must outlive a run: `ARREARS_HOME`, default `./.arrears`. */
export function arrearsHome(env: NodeJS.ProcessEnv, cwd: string): string {
  const given = env['ARREARS_HOME']?.trim();
  return path.resolve(cwd, given === undefined || given === '' ? '.arrears' : given);
}

export interface HomeLayout {
  readonly root: string;
  /** The embedded PostgreSQL's data directory. */
  readonly postgres: string;
  /** nats-server's JetStream store. */
  readonly nats: string;
  /** The embedded NATS server's store (its own format: nats-server cannot read it, nor it nats-server's). */
  readonly embeddedNats: string;
  /** Generated keys and secrets, one file each, mode 0600. */
  readonly keys: string;
  /** One log file per process, the whole of its output. */
  readonly logs: string;
  /** Pid files of the processes of the run in progress. */
  readonly run: string;
  /** Ports chosen at the first start, reused after. */
  readonly state: string;
}

export function homeLayout(root: string): HomeLayout {
  return {
    root,
    postgres: path.join(root, 'postgres'),
    nats: path.join(root, 'nats'),
    embeddedNats: path.join(root, 'nats-embedded'),
    keys: path.join(root, 'keys'),
    logs: path.join(root, 'logs'),
    run: path.join(root, 'run'),
    state: path.join(root, 'state.json'),
  };
}

/**
 * Creates the home's folders. The root stays readable by others (0755): as root, the embedded PostgreSQL runs as
 * the user postgres, which must reach its data directory inside it; the keys folder is the owner's alone (0700).
 */
export function prepareHome(layout: HomeLayout): void {
  for (const dir of [layout.root, layout.logs, layout.run]) mkdirSync(dir, { recursive: true, mode: 0o755 });
  mkdirSync(layout.keys, { recursive: true, mode: 0o700 });
  chmodSync(layout.keys, 0o700);
}

/** What the launcher remembers between runs: the ports it chose, so that a client configured once keeps working. */
export interface LauncherState {
  readonly postgresPort?: number;
  readonly natsPort?: number;
}

export function readState(file: string): LauncherState {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const port = (value: unknown) => (Number.isInteger(value) && (value as number) > 0 && (value as number) < 65_536 ? (value as number) : undefined);
    const postgresPort = port(parsed['postgresPort']);
    const natsPort = port(parsed['natsPort']);
    return { ...(postgresPort ? { postgresPort } : {}), ...(natsPort ? { natsPort } : {}) };
  } catch {
    // A damaged state file only costs the remembered ports: new ones are chosen and written.
    return {};
  }
}

export function writeState(file: string, state: LauncherState): void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}
