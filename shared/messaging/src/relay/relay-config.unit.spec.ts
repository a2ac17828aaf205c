import { ErrorCode, START, compareGlobalPositions, globalPosition, isArrearsError } from '@arrears/contracts';
import { main } from './relay-cli';
import { relayConfig, replayFrom, replayTo } from './relay-config';
import { positionBefore } from './replay';

function failure(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('relay configuration', () => {
  it('takes a flag over its environment variable over the default', () => {
    const config = relayConfig({ name: 'from-flag' }, { ARREARS_RELAY_NAME: 'from-env', ARREARS_TOPOLOGY_ROOT: 'test_root', DATABASE_URL: 'postgres://db/x' });
    expect(config).toMatchObject({
      name: 'from-flag',
      topology: { root: 'test_root', eventsStream: 'TEST_ROOT_EVENTS' },
      databaseUrl: 'postgres://db/x',
      storeSchema: 'arrears_events',
      relaySchema: 'arrears_relay',
      healthPort: undefined,
      checkpointEvery: 100,
      checkpointIntervalMs: 1_000,
      pollIntervalMs: 100,
      minPollIntervalMs: 2,
      duplicateWindowMs: 600_000,
      maxAgeMs: 0,
      replicas: undefined,
    });
    expect(relayConfig({}, { ARREARS_EVENTS_REPLICAS: '3' }).replicas).toBe(3);
  });

  it('takes the event store from EVENTSTOREDB_URL when it is set, and leaves it to PostgreSQL when unset or empty', () => {
    const esdb = relayConfig({}, { DATABASE_URL: 'postgres://db/x', EVENTSTOREDB_URL: 'esdb://esdb:2113?tls=false' });
    expect(esdb).toMatchObject({ eventStoreDbUrl: 'esdb://esdb:2113?tls=false', databaseUrl: 'postgres://db/x' });
    for (const env of [{}, { EVENTSTOREDB_URL: '' }]) expect(relayConfig({}, env)).not.toHaveProperty('eventStoreDbUrl');
  });

  it('refuses an EVENTSTOREDB_URL that is not an EventStoreDB connection string before opening anything (exit 2)', async () => {
    const written = { out: '', err: '' };
    const io = { out: { write: (text: string) => (written.out += text) }, err: { write: (text: string) => (written.err += text) } };
    const before = process.env['EVENTSTOREDB_URL'];
    process.env['EVENTSTOREDB_URL'] = 'http://esdb:2113';
    try {
      expect(await main(['replay', '--from', 'start', '--to', 'head'], io)).toBe(2);
    } finally {
      if (before === undefined) delete process.env['EVENTSTOREDB_URL'];
      else process.env['EVENTSTOREDB_URL'] = before;
    }
    expect(written.err).toMatch(/^EVENTSTOREDB_URL is not an EventStoreDB connection string/);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('refuses bad values naming the flag', () => {
    for (const [flags, field] of [
      [{ 'health-port': 'eighty' }, 'health-port'],
      [{ replicas: '0' }, 'replicas'],
      [{ 'checkpoint-every': '0' }, 'checkpoint-every'],
      [{ 'poll-interval-ms': '0' }, 'poll-interval-ms'],
      [{ 'min-poll-interval-ms': 'soon' }, 'min-poll-interval-ms'],
      [{ root: 'Not-A-Root' }, 'root'],
      [{ 'relay-schema': 'arrears_events' }, 'relay-schema'],
      [{ name: 'two words' }, 'name'],
    ] as const) {
      const error = failure(() => relayConfig(flags, {}));
      expect(isArrearsError(error, ErrorCode.VALIDATION_FAILED)).toBe(true);
      expect(error).toMatchObject({ field });
    }
  });

  it('reads a replay range', () => {
    expect(replayFrom('start')).toBe('start');
    expect(replayFrom('812:33')).toBe('812:33');
    expect(replayTo(undefined)).toBe('checkpoint');
    expect(replayTo('head')).toBe('head');
    expect(failure(() => replayFrom(undefined))).toMatchObject({ field: 'from' });
    expect(failure(() => replayTo('yesterday'))).toMatchObject({ field: 'to' });
  });
});

describe('positionBefore', () => {
  it('is the greatest position before the given one, so reading after it includes that one', () => {
    expect(positionBefore(globalPosition(812, 33))).toBe('812:32');
    expect(positionBefore(globalPosition(812, 0))).toBe('811:9223372036854775807');
    expect(positionBefore(globalPosition(0, 0))).toBe(START);
    for (const position of [globalPosition(5, 1), globalPosition(812, 0)]) expect(compareGlobalPositions(positionBefore(position), position)).toBe(-1);
  });
});
