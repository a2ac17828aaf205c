import { parseStartArgs } from '../../scripts/start/args';
import { arrearsHome, homeLayout, readState, writeState } from '../../scripts/start/home';
import { nodeCommand, platformEnv, platformProcesses, processEnv, readinessUrl, redactUrl, SERVICE_NAMES } from '../../scripts/start/plan';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('npm start: what it runs and with what', () => {
  it('runs the relay first, then every service, then the gateway', () => {
    const names = platformProcesses().map((spec) => spec.name);
    expect(names).toEqual(['relay', ...SERVICE_NAMES, 'gateway']);
    expect(platformProcesses()[0]).toMatchObject({ role: 'relay', script: 'cli/arrears.ts', args: ['relay', 'run'] });
    expect(platformProcesses().filter((spec) => spec.role === 'service').map((spec) => spec.script)).toEqual(SERVICE_NAMES.map((name) => `services/${name}/src/main.ts`));
  });

  it('gives every process the platform environment and a health port of its own, the relay under its own variable', () => {
    const [relay, accounts] = platformProcesses();
    const gateway = platformProcesses().at(-1);
    if (relay === undefined || accounts === undefined || gateway === undefined) throw new Error('the plan is empty');
    const ports = { health: { relay: 4001, accounts: 4002, gateway: 4009 }, gateway: 3100 };
    const env = { DATABASE_URL: 'postgres://db', NATS_URL: 'nats://n' };
    expect(processEnv(relay, env, ports)).toEqual({ ...env, ARREARS_RELAY_HEALTH_PORT: '4001' });
    expect(processEnv(accounts, env, ports)).toEqual({ ...env, ARREARS_HEALTH_PORT: '4002' });
    expect(processEnv(gateway, env, ports)).toEqual({ ...env, ARREARS_HEALTH_PORT: '4009', ARREARS_GATEWAY_PORT: '3100' });
    expect(readinessUrl(relay, ports)).toBe('http://127.0.0.1:4001/health');
    expect(readinessUrl(accounts, ports)).toBe('http://127.0.0.1:4002/health/ready');
    expect(() => readinessUrl(platformProcesses()[2] as typeof relay, ports)).toThrow('no health port');
  });

  it('sets NODE_ENV=development unless it is set, and what it started or generated over what was given', () => {
    const given = { PATH: '/bin', DATABASE_URL: 'ignored when started', EVENTSTOREDB_URL: 'esdb://x' };
    const env = platformEnv(given, { databaseUrl: 'postgres://p', natsUrl: 'nats://q', secrets: { ARREARS_PII_MASTER_KEY: 'k' } });
    expect(env).toEqual({ PATH: '/bin', EVENTSTOREDB_URL: 'esdb://x', NODE_ENV: 'development', DATABASE_URL: 'postgres://p', NATS_URL: 'nats://q', ARREARS_PII_MASTER_KEY: 'k' });
    expect(platformEnv({ NODE_ENV: 'production' }, { databaseUrl: 'd', natsUrl: 'n', secrets: {} })['NODE_ENV']).toBe('production');
  });

  it('runs each program with node --import tsx, one process each', () => {
    const [relay] = platformProcesses();
    expect(nodeCommand(relay as NonNullable<typeof relay>, '/repo')).toEqual({ command: process.execPath, args: ['--import', 'tsx', '/repo/cli/arrears.ts', 'relay', 'run'] });
  });

  it('prints database URLs without their password', () => {
    expect(redactUrl('postgres://postgres:s3cret@127.0.0.1:54329/postgres')).toBe('postgres://postgres:***@127.0.0.1:54329/postgres');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('reads its options, refusing one it does not know', () => {
    expect(parseStartArgs([])).toEqual({ singleProcess: false, help: false });
    expect(parseStartArgs(['--single-process'])).toEqual({ singleProcess: true, help: false });
    expect(parseStartArgs(['-h'])).toEqual({ singleProcess: false, help: true });
    expect(() => parseStartArgs(['--single'])).toThrow("Unknown option '--single'");
    expect(() => parseStartArgs(['accounts'])).toThrow();
  });
});

describe('npm start: ARREARS_HOME', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'arrears-home-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is ./.arrears unless ARREARS_HOME says otherwise, relative to the working directory', () => {
    expect(arrearsHome({}, '/repo')).toBe('/repo/.arrears');
    expect(arrearsHome({ ARREARS_HOME: ' ' }, '/repo')).toBe('/repo/.arrears');
    expect(arrearsHome({ ARREARS_HOME: 'tmp/a' }, '/repo')).toBe('/repo/tmp/a');
    expect(arrearsHome({ ARREARS_HOME: '/var/arrears' }, '/repo')).toBe('/var/arrears');
    expect(homeLayout('/h')).toEqual({ root: '/h', postgres: '/h/postgres', nats: '/h/nats', embeddedNats: '/h/nats-embedded', keys: '/h/keys', logs: '/h/logs', run: '/h/run', state: '/h/state.json' });
  });

  it('remembers the ports it chose, and forgets only what is damaged', () => {
    const file = path.join(dir, 'state.json');
    expect(readState(file)).toEqual({});
    writeState(file, { postgresPort: 54329, natsPort: 42229 });
    expect(readState(file)).toEqual({ postgresPort: 54329, natsPort: 42229 });
    writeFileSync(file, JSON.stringify({ postgresPort: 'x', natsPort: 70_000 }));
    expect(readState(file)).toEqual({});
    writeFileSync(file, '{ not json');
    expect(readState(file)).toEqual({});
  });
});
