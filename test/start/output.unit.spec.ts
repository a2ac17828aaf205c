import { conciseLine, isInfrastructureProblem, LineSplitter, prefix } from '../../scripts/start/log-lines';
import { describeHealth } from '../../scripts/start/ready';
import { findNatsServer, NO_NATS_SERVER } from '../../scripts/start/infrastructure';

describe("npm start's console", () => {
  it('shortens a pino line to time, level, context, message and its simple fields', () => {
    const line = JSON.stringify({ level: 'info', time: '2026-11-30T03:24:57.123Z', service: 'accounts', pid: 12, context: 'NestFactory', msg: 'Starting Nest application...' });
    expect(conciseLine(line)).toBe('03:24:57 info  [NestFactory] Starting Nest application...');
    const withFields = JSON.stringify({ level: 'warn', time: '2026-11-30T03:24:57.123Z', service: 'relay', msg: 'retrying', attempt: 3, subject: 'arrears.evt.x', nested: { a: 1 }, trace_id: 'abc' });
    expect(conciseLine(withFields)).toBe('03:24:57 warn  retrying attempt=3 subject=arrears.evt.x');
    const failed = JSON.stringify({ level: 'error', time: '2026-11-30T03:24:57.123Z', msg: 'stopping failed', err: { message: 'boom', stack: '…' } });
    expect(conciseLine(failed)).toBe('03:24:57 error stopping failed error: boom');
  });

  it('leaves anything that is not a pino line as it is', () => {
    expect(conciseLine('[relay arrears] leader (term 1)')).toBe('[relay arrears] leader (term 1)');
    expect(conciseLine('{ not json')).toBe('{ not json');
    expect(conciseLine('{"a":1}')).toBe('{"a":1}');
  });

  it("shows only the problems of PostgreSQL's and nats-server's own logs", () => {
    expect(isInfrastructureProblem('2026-11-30 03:10:22.869 UTC [16920] LOG:  database system is ready to accept connections')).toBe(false);
    expect(isInfrastructureProblem('2026-11-30 03:10:22.869 UTC [16920] FATAL:  lock file "postmaster.pid" already exists')).toBe(true);
    expect(isInfrastructureProblem('[17082] 2026/11/30 03:10:25.901432 [INF] Server is ready')).toBe(false);
    expect(isInfrastructureProblem('[17082] 2026/11/30 03:10:25.901432 [ERR] Error listening on port')).toBe(true);
  });

  it('puts every process under its name, in one column', () => {
    expect(prefix('start', 16)).toBe('[start]'.padEnd(19));
    expect(prefix('legal-escalation', 16)).toBe('[legal-escalation] ');
  });

  it('cuts output into whole lines however the chunks fall', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('one\ntw');
    splitter.push('o\r\nthree');
    expect(lines).toEqual(['one', 'two']);
    splitter.flush();
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it("says in a few words why a process is not ready, from terminus' body or the relay's", () => {
    const terminus = { status: 'error', info: {}, error: { service: { status: 'down', state: 'starting', message: 'the service has not finished starting' }, nats: { status: 'down', message: 'CONNECTION_REFUSED' } } };
    expect(describeHealth(503, terminus)).toBe('service: the service has not finished starting; nats: CONNECTION_REFUSED');
    expect(describeHealth(503, { status: 'unavailable', problems: ['the event store cannot be reached'] })).toBe('the event store cannot be reached');
    expect(describeHealth(404, { message: 'not found' })).toBe('HTTP 404');
    expect(describeHealth(502, undefined)).toBe('HTTP 502');
  });

  it('finds nats-server on PATH, then where packages put it, and says what to do when there is none', () => {
    const present = new Set(['/opt/nats/nats-server', '/usr/sbin/nats-server']);
    expect(findNatsServer({ PATH: '/usr/bin:/opt/nats' }, (file) => present.has(file))).toBe('/opt/nats/nats-server');
    expect(findNatsServer({ PATH: '/usr/bin' }, (file) => present.has(file))).toBe('/usr/sbin/nats-server');
    expect(findNatsServer({}, () => false)).toBeUndefined();
    expect(NO_NATS_SERVER).toMatch(/install nats-server/i);
    expect(NO_NATS_SERVER).toContain('NATS_URL');
  });
});
