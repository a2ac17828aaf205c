import { Writable } from 'node:stream';
import { processSettings } from './process';

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

describe('processSettings: the event store every service opens', () => {
  it('carries EVENTSTOREDB_URL to the services (openPlatformStores then opens EventStoreDB), and nothing when it is unset or empty', () => {
    const env = { NODE_ENV: 'test', DATABASE_URL: 'postgres://db/x' };
    expect(processSettings('accounts', { ...env, EVENTSTOREDB_URL: 'esdb://esdb:2113?tls=false' }, quiet)).toMatchObject({
      databaseUrl: 'postgres://db/x',
      eventStoreDbUrl: 'esdb://esdb:2113?tls=false',
    });
    expect(processSettings('accounts', env, quiet)).not.toHaveProperty('eventStoreDbUrl');
    expect(processSettings('accounts', { ...env, EVENTSTOREDB_URL: '' }, quiet)).not.toHaveProperty('eventStoreDbUrl');
  });
});
