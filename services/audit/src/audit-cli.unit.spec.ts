import { main } from './audit-cli';

function io() {
  const written = { out: '', err: '' };
  return { written, io: { out: { write: (text: string) => (written.out += text) }, err: { write: (text: string) => (written.err += text) } } };
}

describe('audit verify: which event store', () => {
  it('takes EVENTSTOREDB_URL as the event store to compare with, refusing one that is not a connection string before reading anything', async () => {
    const { written, io: output } = io();
    // Nothing listens on port 1: had the ledger or a PostgreSQL store been read first, this would fail otherwise.
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres', EVENTSTOREDB_URL: 'http://admin:secret@esdb:2113' };
    expect(await main(['verify'], output, env)).toBe(2);
    expect(written.err).toMatch(/^audit verify: VALIDATION_FAILED \(EVENTSTOREDB_URL\): EVENTSTOREDB_URL is not an EventStoreDB connection string/);
    expect(written.err).not.toContain('secret');
  });

  it('names EVENTSTOREDB_URL in its usage', async () => {
    const { written, io: output } = io();
    expect(await main(['help'], output, {})).toBe(0);
    expect(written.out).toContain('EVENTSTOREDB_URL set: verify compares with EventStoreDB');
  });
});
