import { ArrearsError, ErrorCode, querySubject, type Topology } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { connect, type NatsConnection } from 'nats';
import { z } from 'zod';
import { testTopology } from '../consumers/testing/nats-fixtures';
import { natsUrl } from '../nats-connection';
import { QueryClient } from './query-client';
import { QueryServer, type QueryAsker } from './query-server';

// Queries over core NATS request-reply, against the machine's nats-server.
describe('queries over NATS', () => {
  let nc: NatsConnection;
  let topology: Topology;
  let server: QueryServer;
  let client: QueryClient;
  const asked: QueryAsker[] = [];
  const asker: QueryAsker = { actorId: 'auditor-7', actorRole: 'auditor' };

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
    topology = testTopology();
    server = new QueryServer({
      connection: nc,
      service: 'accounts',
      topology,
      handlers: {
        AccountDetail: async (params, who) => {
          asked.push(who);
          const { accountId } = z.object({ accountId: z.uuid() }).parse(params);
          if (accountId === '00000000-0000-4000-8000-000000000000') throw new ArrearsError(ErrorCode.NOT_FOUND, `No account ${accountId}`, { field: 'accountId' });
          return { accountId, total: 1250 };
        },
        Broken: async () => {
          throw new Error('password=hunter2 in the connection string');
        },
        Slow: () => new Promise((resolve) => setTimeout(() => resolve('too late'), 1_500)),
        Huge: async () => 'x'.repeat(2 * 1024 * 1024),
      },
    });
    server.start();
    client = new QueryClient({ connection: nc, topology });
  });

  afterAll(async () => {
    await server.stop();
    await nc.close();
  });

  it('answers with what the handler returned, telling it who asked', async () => {
    const accountId = '5b8f3c1e-2f4a-4c6d-9e1a-0b2c3d4e5f60';
    await expect(client.ask('accounts', 'AccountDetail', { accountId }, asker)).resolves.toEqual({ accountId, total: 1250 });
    expect(asked.at(-1)).toEqual(asker);
  });

  it("carries the service's error with its code and field", async () => {
    const error = await rejection(client.ask('accounts', 'AccountDetail', { accountId: '00000000-0000-4000-8000-000000000000' }, asker));
    expect(error).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'accountId' });
  });

  it('tells the caller only INTERNAL when the handler fails unexpectedly', async () => {
    const error = await rejection(client.ask('accounts', 'Broken', {}, asker));
    expect(error).toMatchObject({ code: ErrorCode.INTERNAL });
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('is UNAVAILABLE when no instance answers the query, TIMEOUT when it answers too late', async () => {
    await expect(rejection(client.ask('accounts', 'NoSuchQuery', {}, asker))).resolves.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(rejection(client.ask('accounts', 'Slow', {}, asker, { timeoutMs: 200 }))).resolves.toMatchObject({ code: ErrorCode.TIMEOUT });
  });

  it('answers an answer too large for a NATS message with an error saying so, instead of leaving the asker waiting', async () => {
    const error = await rejection(client.ask('accounts', 'Huge', {}, asker, { timeoutMs: 2_000 }));
    expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    expect((error as Error).message).toMatch(/larger than a NATS message/);
  });

  it('refuses a query whose envelope is not valid, naming the field', async () => {
    const reply = await nc.request(querySubject('accounts', 'AccountDetail', topology), JSON.stringify({ queryId: 'x', type: 'AccountDetail', params: {}, ...asker }));
    expect(reply.json()).toMatchObject({ ok: false, error: { code: ErrorCode.VALIDATION_FAILED, field: 'queryId' } });
  });
});
