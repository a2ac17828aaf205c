/**
 * A consumer service run as a child process by consumers.faults.spec.ts, so that the test can SIGKILL it at a
 * chosen point of a handler. Its handler adds each event's amount to a ledger through processOnce. The crash
 * points live here, in the test's handler, never in the library.
 *
 * Environment: NATS_URL, DATABASE_URL, TOPOLOGY_ROOT, SCHEMA (holds `ledger` and `processed_events`),
 * CRASH_POINT (`before-commit`: inside the transaction, after the ledger write; `after-commit`: after the commit,
 * before the ack; unset: never), CRASH_AT (crash on the n-th event this process handles for the first time).
 * It prints one line per step on stdout: `ready`, `crash-point <eventId>`, `applied <eventId>`, `duplicate <eventId>`.
 */
import 'reflect-metadata';
import { natsTopology, type EventEnvelope } from '@arrears/contracts';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Pool } from 'pg';
import { ArrearsRpcExceptionFilter, type JetStreamContext } from '../contexts';
import { JetStreamTransport } from '../jetstream-transport';
import { processOnce } from '../process-once';
import { promiseBrokenSubject } from './nats-fixtures';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

const topology = natsTopology(env('TOPOLOGY_ROOT'));
const schema = env('SCHEMA');
const crashPoint = process.env['CRASH_POINT'] ?? '';
const crashAt = Number(process.env['CRASH_AT'] ?? '0');
const pool = new Pool({ connectionString: env('DATABASE_URL'), max: 8, connectionTimeoutMillis: 5_000 });
let firstDeliveries = 0;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Tells the test where it stands, then waits for the SIGKILL (with the transaction still open, if inside one). */
async function reachCrashPoint(event: EventEnvelope): Promise<never> {
  say(`crash-point ${event.eventId}`);
  return new Promise<never>(() => undefined);
}

@Controller()
class LedgerHandlers {
  @EventPattern(promiseBrokenSubject(topology), { name: 'ledger', ackWaitMs: 1_500, fetchExpiresMs: 1_000, backoffMs: [100], concurrency: 4 })
  async record(@Payload() event: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
    const crash = context.getDeliveryCount() === 1 && ++firstDeliveries === crashAt ? crashPoint : '';
    const applied = await processOnce(
      pool,
      context.getConsumerName(),
      event,
      async (tx) => {
        await tx.query(`insert into "${schema}".ledger (event_id, amount) values ($1, $2)`, [event.eventId, event.data['amount']]);
        if (crash === 'before-commit') await reachCrashPoint(event);
      },
      { schema },
    );
    if (crash === 'after-commit') await reachCrashPoint(event);
    say(`${applied ? 'applied' : 'duplicate'} ${event.eventId}`);
  }
}

@Module({ controllers: [LedgerHandlers] })
class LedgerModule {}

async function main(): Promise<void> {
  const transport = new JetStreamTransport({ service: 'audit', topology, streams: false });
  const app = await NestFactory.createMicroservice(LedgerModule, { strategy: transport, logger: ['error'] });
  app.useGlobalFilters(new ArrearsRpcExceptionFilter());
  await app.listen();
  say('ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
