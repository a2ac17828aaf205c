import { randomUUID } from 'node:crypto';
import { ArrearsError, CommandCatalog, ErrorCode, commandSubject, defineCommand, isArrearsError, type CommandEnvelope, type CommandReply, type Topology } from '@arrears/contracts';
import { PostgresEventStore, handleCommand, type CommandOutcome } from '@arrears/event-store';
import { createTestSchema, rejection, type TestSchema } from '@arrears/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { z } from 'zod';
import { ArrearsRpcExceptionFilter } from '../consumers/contexts';
import { JetStreamTransport } from '../consumers/jetstream-transport';
import { createTopology, removeTopology, testTopology } from '../consumers/testing/nats-fixtures';
import { natsUrl } from '../nats-connection';
import { CommandClient } from './command-client';

const RecordPromise = defineCommand({
  service: 'promises-to-pay',
  type: 'RecordPromise',
  description: 'test',
  schema: z.object({ promiseId: z.uuid(), amount: z.number().int().positive() }).strict(),
});
const BreakPromise = defineCommand({ service: 'promises-to-pay', type: 'BreakPromise', description: 'test', schema: z.object({ promiseId: z.uuid() }).strict() });
const Crash = defineCommand({ service: 'promises-to-pay', type: 'Crash', description: 'test', schema: z.object({}).strict() });
const Stall = defineCommand({ service: 'promises-to-pay', type: 'Stall', description: 'test', schema: z.object({}).strict() });
const commands = new CommandCatalog([RecordPromise, BreakPromise, Crash, Stall]);

// The sample aggregate: a promise is recorded once.
type Recorded = { readonly type: 'PromiseRecorded'; readonly data: { readonly amount: number } };
const decide = (command: CommandEnvelope<'RecordPromise', { amount: number }>, state: { recorded: boolean }): Recorded[] => {
  if (state.recorded) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'This promise is already recorded', { field: 'data.promiseId' });
  return [{ type: 'PromiseRecorded', data: { amount: command.data.amount } }];
};

function promiseService(topology: Topology, store: PostgresEventStore, calls: string[]) {
  const subject = (type: string) => commandSubject('promises-to-pay', type, topology);
  @Controller()
  class PromiseCommands {
    @MessagePattern(subject('RecordPromise'))
    record(@Payload() command: CommandEnvelope<'RecordPromise', { promiseId: string; amount: number }>): Promise<CommandOutcome> {
      calls.push(command.commandId);
      return handleCommand(
        { store, streamId: `promise-${command.data.promiseId}`, initialState: () => ({ recorded: false }), evolve: () => ({ recorded: true }), decide },
        command,
      );
    }

    @MessagePattern(subject('BreakPromise'))
    break(@Payload() command: CommandEnvelope<'BreakPromise', { promiseId: string }>): never {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `No promise ${command.data.promiseId}`, { field: 'data.promiseId', details: { promiseId: command.data.promiseId } });
    }

    @MessagePattern(subject('Crash'))
    crash(): never {
      throw new Error('password=hunter2 in the connection string');
    }

    @MessagePattern(subject('Stall'))
    async stall(): Promise<string> {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return 'too late';
    }
  }
  @Module({ controllers: [PromiseCommands] })
  class PromiseModule {}
  return PromiseModule;
}

describe('commands over NATS request-reply', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let topology: Topology;
  let schema: TestSchema;
  let store: PostgresEventStore;
  let client: CommandClient;
  const calls: string[] = [];
  const apps: INestMicroservice[] = [];

  const metadata = () => ({ correlationId: randomUUID(), caseId: randomUUID(), actorId: 'collector-7', actorRole: 'collector' as const, now: '2026-11-29T09:30:00.000Z' });
  const record = (data: Record<string, unknown> = { promiseId: randomUUID(), amount: 5_000 }) => ({ type: 'RecordPromise', data, metadata: metadata() });

  async function startInstance(): Promise<void> {
    const app = await NestFactory.createMicroservice(promiseService(topology, store, calls), {
      strategy: new JetStreamTransport({ service: 'promises-to-pay', topology, commands, logger: { log: () => undefined, error: () => undefined, warn: () => undefined } }),
      logger: false,
    });
    app.useGlobalFilters(new ArrearsRpcExceptionFilter());
    await app.listen();
    apps.push(app);
  }

  /** Sends raw bytes, as a client that skipped validation (or another language) would. */
  async function rawRequest(type: string, body: string): Promise<CommandReply> {
    const reply = await nc.request(commandSubject('promises-to-pay', type, topology), body, { timeout: 2_000 });
    return reply.json<CommandReply>();
  }

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
    jsm = await nc.jetstreamManager();
    topology = testTopology();
    await createTopology(jsm, topology);
    schema = await createTestSchema('commands');
    store = new PostgresEventStore({ pool: schema.pool, schema: schema.name });
    await store.migrate();
    client = new CommandClient({ connection: nc, topology, catalogs: { 'promises-to-pay': commands }, timeoutMs: 2_000 });
    await startInstance();
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await removeTopology(jsm, topology);
    await schema.drop();
    await nc.drain();
  });

  it('a command is handled and its result comes back', async () => {
    const promiseId = randomUUID();
    const outcome = await client.send<CommandOutcome>('promises-to-pay', record({ promiseId, amount: 5_000 }));

    expect(outcome).toMatchObject({ streamId: `promise-${promiseId}`, repeated: false, events: [{ type: 'PromiseRecorded', streamPosition: 0, data: { amount: 5_000 } }] });
    const [stored] = await store.readStream(`promise-${promiseId}`);
    expect(stored?.eventId).toBe(outcome.events[0]?.eventId);
  });

  it('the same command id sent again, even concurrently, has one effect', async () => {
    const promiseId = randomUUID();
    const command = client.prepare('promises-to-pay', record({ promiseId, amount: 700 }));
    const concurrent = await Promise.all([client.send<CommandOutcome>('promises-to-pay', command), client.send<CommandOutcome>('promises-to-pay', command)]);
    const later = await client.send<CommandOutcome>('promises-to-pay', command);

    expect(await store.readStream(`promise-${promiseId}`)).toHaveLength(1);
    expect(concurrent[0]?.events).toEqual(concurrent[1]?.events);
    expect(later).toEqual({ ...concurrent[0], repeated: true });
    // A different command id for the same promise is a new command, and the domain refuses it.
    const another = await rejection(client.send('promises-to-pay', record({ promiseId, amount: 700 })));
    expect(another).toMatchObject({ code: 'VALIDATION_FAILED', field: 'data.promiseId' });
  });

  it('the client refuses an invalid command before sending it, naming the field', async () => {
    const before = calls.length;
    const error = await rejection(client.send('promises-to-pay', record({ promiseId: randomUUID(), amount: -5 })));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'data.amount' });
    const noNow = await rejection(client.send('promises-to-pay', { ...record(), metadata: { ...metadata(), now: 'tomorrow' } }));
    expect(noNow).toMatchObject({ code: 'VALIDATION_FAILED', field: 'metadata.now' });
    expect(calls.length).toBe(before);
  });

  it('the server refuses what a client did not validate, naming the field, and runs no handler', async () => {
    const before = calls.length;
    const valid = client.prepare('promises-to-pay', record());
    const badData = await rawRequest('RecordPromise', JSON.stringify({ ...valid, data: { promiseId: randomUUID(), amount: 'lots' } }));
    expect(badData).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'data.amount' } });
    const badEnvelope = await rawRequest('RecordPromise', JSON.stringify({ ...valid, commandId: 'not-a-uuid' }));
    expect(badEnvelope).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'commandId' } });
    const wrongSubject = await rawRequest('RecordPromise', JSON.stringify({ ...client.prepare('promises-to-pay', { type: 'Crash', data: {}, metadata: metadata() }) }));
    expect(wrongSubject).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'type' } });
    const notJson = await rawRequest('RecordPromise', '{"commandId":');
    expect(notJson).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('not JSON') } });
    expect(calls.length).toBe(before);
  });

  it("a domain error reaches the caller as the same ArrearsError: code, message, field and details", async () => {
    const promiseId = randomUUID();
    const error = await rejection(client.send('promises-to-pay', { type: 'BreakPromise', data: { promiseId }, metadata: metadata() }));
    expect(error).toBeInstanceOf(ArrearsError);
    expect((error as ArrearsError).toJSON()).toEqual({ code: 'NOT_FOUND', message: `No promise ${promiseId}`, field: 'data.promiseId', details: { promiseId } });
  });

  it('an unexpected error is INTERNAL with a safe message', async () => {
    const error = await rejection(client.send('promises-to-pay', { type: 'Crash', data: {}, metadata: metadata() }));
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'promises-to-pay failed to handle the command; the cause is in its log' });
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('no reply in time is TIMEOUT, naming the command id to retry with', async () => {
    const command = client.prepare('promises-to-pay', { type: 'Stall', data: {}, metadata: metadata() });
    const error = await rejection(client.send('promises-to-pay', command, { timeoutMs: 200 }));
    expect(error).toMatchObject({ code: 'TIMEOUT', details: { commandId: command.commandId } });
  });

  it('nobody listening is UNAVAILABLE', async () => {
    const error = await rejection(client.send('legal-escalation', { type: 'RequestEscalation', data: {}, metadata: metadata() }));
    expect(isArrearsError(error, ErrorCode.UNAVAILABLE)).toBe(true);
  });

  it('instances of a service share the work: each command is handled by one', async () => {
    await startInstance();
    const before = calls.length;
    const sent = await Promise.all(Array.from({ length: 10 }, () => client.send<CommandOutcome>('promises-to-pay', record())));
    expect(sent.every((outcome) => outcome.events.length === 1)).toBe(true);
    expect(calls.length - before).toBe(10);
  });
});
