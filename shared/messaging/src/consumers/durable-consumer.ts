import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { AckPolicy, DeliverPolicy, nanos, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from 'nats';
import type { DeliverFrom } from './handler-options';

export interface DurableConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  readonly filterSubject: string;
  readonly ackWaitMs: number;
  /** 1 for a handler that needs order: JetStream then hands out the next event only after this one is settled. */
  readonly maxAckPending: number;
  readonly deliverFrom: DeliverFrom;
  readonly description: string;
}

/** Unordered handlers: JetStream's default; the pull loop's concurrency is the real bound. */
export const UNORDERED_MAX_ACK_PENDING = 1_000;

/**
 * Creates the durable pull consumer, or brings an existing one's tunable settings up to date. Several instances
 * of a service share it: JetStream spreads the events among them. Deliveries are not capped on the JetStream
 * side (`max_deliver` -1): the transport counts them and dead-letters after N, and a capped message that a
 * crash left unacknowledged would otherwise stay in limbo, neither handled nor dead-lettered.
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<void> {
  const existing = await consumerInfo(jsm, spec);
  if (existing === undefined) {
    try {
      await jsm.consumers.add(spec.stream, { ...tunable(spec), ...start(spec.deliverFrom), durable_name: spec.durable, ack_policy: AckPolicy.Explicit, filter_subject: spec.filterSubject });
      return;
    } catch (error) {
      // Another instance created it first: fall through and check it is the same consumer.
      const raced = await consumerInfo(jsm, spec);
      if (raced === undefined) throw error;
      return update(jsm, spec, raced);
    }
  }
  return update(jsm, spec, existing);
}

async function update(jsm: JetStreamManager, spec: DurableConsumerSpec, existing: ConsumerInfo): Promise<void> {
  if (existing.config.filter_subject !== spec.filterSubject) {
    throw new ArrearsError(
      ErrorCode.VALIDATION_FAILED,
      `Consumer ${spec.durable} filters ${existing.config.filter_subject ?? '(nothing)'}, the handler now asks for ${spec.filterSubject}: give the handler a new name (a new consumer that starts from its own position) or delete the old consumer`,
      { field: 'pattern', details: { durable: spec.durable } },
    );
  }
  const wanted = tunable(spec);
  const config = existing.config;
  if (config.ack_wait !== wanted.ack_wait || config.max_ack_pending !== wanted.max_ack_pending || config.max_deliver !== wanted.max_deliver) {
    await jsm.consumers.update(spec.stream, spec.durable, wanted);
  }
}

function tunable(spec: DurableConsumerSpec): Pick<ConsumerConfig, 'ack_wait' | 'max_ack_pending' | 'max_deliver' | 'description'> {
  return { ack_wait: nanos(spec.ackWaitMs), max_ack_pending: spec.maxAckPending, max_deliver: -1, description: spec.description };
}

function start(from: DeliverFrom): Pick<ConsumerConfig, 'deliver_policy' | 'opt_start_seq' | 'opt_start_time'> {
  if (from === 'all') return { deliver_policy: DeliverPolicy.All };
  if (from === 'new') return { deliver_policy: DeliverPolicy.New };
  if ('sequence' in from) return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from.sequence };
  return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(from.time).toISOString() };
}

async function consumerInfo(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(spec.stream, spec.durable);
  } catch (error) {
    if (isConsumerNotFound(error)) return undefined;
    throw error;
  }
}

export function isConsumerNotFound(error: unknown): boolean {
  return error instanceof Error && /consumer not found|consumer deleted/i.test(error.message);
}
