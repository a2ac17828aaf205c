import { spawn } from 'node:child_process';
import { natsTopology } from '@arrears/contracts';
import { connectNats, deleteStreams, natsUrl } from '@arrears/messaging';
import { createTestDatabase, uniqueName, type TestDatabase } from '@arrears/testing';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';
import { GENERATED_SECRETS } from '../../scripts/start/keys';
import { platformProcesses } from '../../scripts/start/plan';
import { freePorts } from '../../scripts/start/ports';
import path from 'node:path';
import { finalTargets, readDockerfile, REPO_ROOT, resolveTarget, type Target } from '../deploy/dockerfile';
import { containersOf, renderKustomization } from '../deploy/kustomize';

/**
 * The images' entrypoints without Docker: each target's CMD and HEALTHCHECK, read from deploy/Dockerfile (so this
 * cannot drift from the file), run as child processes in the repository (the image's WORKDIR holds the same tree)
 * with the image's environment — NODE_ENV=production, so with real keys — against the machine's PostgreSQL and
 * NATS, in a database and a NATS topology of this file's own. The migration runs first (two copies at once, as two
 * Job pods might), then every process at once; each must become ready, answer the paths its Kubernetes probes ask
 * (k8s/overlays/prod) with 200, pass its HEALTHCHECK, and on SIGTERM exit 0.
 */
const stages = readDockerfile();
const PROCESS_TARGETS = platformProcesses().map((process) => process.name);

interface Run {
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  tail(): string;
}

/** A command as the image runs it: `node` is this machine's node, the working directory the repository. */
function run(command: readonly string[], env: NodeJS.ProcessEnv): Run {
  const [program, ...args] = command;
  const child = spawn(program === 'node' ? process.execPath : (program ?? ''), args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    tail: () => output.join('').split('\n').slice(-25).join('\n'),
  };
}

/** The port the target's health check asks, given out anew for this run. */
function healthVariable(target: Target): string {
  const variable = Array.isArray(target.healthcheck) ? target.healthcheck[2] : undefined;
  if (variable === undefined) throw new Error(`${target.name} has no HEALTHCHECK naming its port variable`);
  return variable;
}

async function untilReady(url: string, running: Run, name: string, deadline: number): Promise<void> {
  let exited: number | null | undefined;
  void running.exited.then((code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${name} exited (${exited}) before it was ready:\n${running.tail()}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((response) => response.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} was not ready at ${url} in time:\n${running.tail()}`);
}

describe('the images’ entrypoints (deploy/Dockerfile), run without Docker', () => {
  let database: TestDatabase;
  let nats: NatsConnection;
  const topology = natsTopology(uniqueName('entrypoints'));
  let env: NodeJS.ProcessEnv;
  const runs: Run[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('entrypoints');
    nats = await connectNats('e2e entrypoints');
    // What a production deployment gives every process: its keys (generated as `npm start` does), the database,
    // NATS and the topology; the Dockerfile's own ENV (NODE_ENV=production, the ports) comes on top per target.
    const keys = Object.fromEntries(GENERATED_SECRETS.map((secret) => [secret.variable, secret.generate()]));
    env = { ...process.env, ...keys, DATABASE_URL: database.url, NATS_URL: natsUrl(), ARREARS_TOPOLOGY_ROOT: topology.root, ARREARS_GATEWAY_HOST: '127.0.0.1', ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS: '0', LOG_LEVEL: 'warn' };
  });

  afterAll(async () => {
    for (const each of runs) each.kill('SIGKILL');
    await Promise.all(runs.map((each) => each.exited));
    await deleteStreams(await nats.jetstreamManager(), topology).catch(() => undefined);
    await nats.close();
    await database.drop();
  });

  it('builds an image for every process and the migration', () => {
    expect([...finalTargets(stages)].sort()).toEqual([...PROCESS_TARGETS, 'migrate'].sort());
  });

  it('migrate: two copies at once bring every schema up to date and exit 0', async () => {
    const target = resolveTarget(stages, 'migrate');
    const copies = [run(target.cmd, { ...env, ...target.env }), run(target.cmd, { ...env, ...target.env })];
    runs.push(...copies);
    const codes = await Promise.all(copies.map((copy) => copy.exited));
    expect([codes, copies.map((copy) => (codes.every((code) => code === 0) ? '' : copy.tail()))]).toEqual([[0, 0], ['', '']]);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ nspname: string }>(`select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname not in ('information_schema', 'public') order by 1`);
      expect(rows.map((row) => row.nspname)).toEqual(['accounts_read', 'arrears_events', 'arrears_pii', 'arrears_relay', 'arrears_timers', 'audit_ledger', 'contact_read', 'legal_evidence', 'legal_read', 'plans_read', 'promises_read', 'workflow_read']);
      // Applied once each, although two ran.
      const { rows: applied } = await client.query<{ count: string }>('select count(*) from arrears_events.schema_migrations');
      const { rows: distinct } = await client.query<{ count: string }>('select count(distinct id) from arrears_events.schema_migrations');
      expect(applied[0]?.count).toBe(distinct[0]?.count);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('every process: ready on its health port, answers its Kubernetes probes, passes its HEALTHCHECK, and exits 0 on SIGTERM', async () => {
    const deadline = Date.now() + 180_000;
    // Chosen together: a port chosen and released may be offered again before its process binds it.
    const ports = await freePorts(PROCESS_TARGETS.length);
    const started = await Promise.all(
      PROCESS_TARGETS.map(async (name, index) => {
        const target = resolveTarget(stages, name);
        const variable = healthVariable(target);
        const port = ports[index] as number;
        const processEnv = { ...env, ...target.env, [variable]: String(port) };
        expect(processEnv['NODE_ENV']).toBe('production');
        const running = run([...target.entrypoint, ...target.cmd], processEnv);
        runs.push(running);
        return { name, target, port, processEnv, running };
      }),
    );
    await Promise.all(started.map(({ name, target, port, running }) => untilReady(`http://127.0.0.1:${port}${(target.healthcheck as string[])[3] ?? ''}`, running, name, deadline)));

    // The Kubernetes probes (k8s/overlays/prod) ask paths each process really answers with 200 once ready.
    const deployments = renderKustomization(path.join(REPO_ROOT, 'k8s/overlays/prod')).filter((resource) => resource.kind === 'Deployment');
    const probed = await Promise.all(
      started.flatMap(({ name, port }) => {
        const container = containersOf(deployments.find((deployment) => deployment.metadata.name === name) ?? { apiVersion: '', kind: '', metadata: { name } })[0];
        const paths = [container?.livenessProbe, container?.readinessProbe, container?.startupProbe].flatMap((probe) => (probe?.httpGet ? [probe.httpGet.path] : []));
        return paths.map(async (probePath) => [name, probePath, await fetch(`http://127.0.0.1:${port}${probePath}`).then((response) => response.status)] as const);
      }),
    );
    expect(probed.length).toBeGreaterThanOrEqual(started.length * 2 - 1);
    expect(probed.filter(([, , status]) => status !== 200)).toEqual([]);

    const checks = await Promise.all(
      started.map(async ({ name, target, processEnv }) => {
        const check = run(target.healthcheck as string[], processEnv);
        return [name, await check.exited] as const;
      }),
    );
    expect(checks).toEqual(started.map(({ name }) => [name, 0]));

    for (const { running } of started) running.kill('SIGTERM');
    const codes = await Promise.all(started.map(async ({ name, running }) => [name, await running.exited] as const));
    const failed = codes.filter(([, code]) => code !== 0).map(([name]) => `${name}:\n${started.find((each) => each.name === name)?.running.tail() ?? ''}`);
    expect(failed).toEqual([]);
    expect(codes).toEqual(started.map(({ name }) => [name, 0]));
  }, 240_000);
});
