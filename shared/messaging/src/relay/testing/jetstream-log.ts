import { EventHeader, type EventEnvelope } from '@arrears/contracts';
import type { JetStreamClient, JetStreamManager, MsgHdrs } from 'nats';

/** One message of the events stream, as the tests look at it. */
export interface StoredMessage {
  readonly sequence: number;
  readonly subject: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly headers: MsgHdrs | undefined;
  readonly body: string;
}

/** Every message of a JetStream stream, in stream sequence order, read with an ordered consumer. */
export async function readStream(js: JetStreamClient, jsm: JetStreamManager, stream: string): Promise<StoredMessage[]> {
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0) return [];
  const consumer = await js.consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 1_000 });
  const read: StoredMessage[] = [];
  for await (const message of messages) {
    const header = (name: string) => message.headers?.get(name) ?? '';
    read.push({
      sequence: message.seq,
      subject: message.subject,
      eventId: header(EventHeader.EVENT_ID),
      streamId: header(EventHeader.STREAM_ID),
      streamPosition: Number(header(EventHeader.STREAM_POSITION)),
      headers: message.headers,
      body: message.string(),
    });
    if (message.seq >= state.last_seq) break;
  }
  await messages.close();
  return read;
}

/** What is wrong with the stream as a copy of the log; every list is empty when each event is there exactly once, in order. */
export interface DeliveryReport {
  readonly messages: number;
  readonly events: number;
  /** Event ids the store has and the stream does not. */
  readonly missing: readonly string[];
  /** Event ids the stream holds more than once. */
  readonly duplicated: readonly string[];
  /** Messages that are not events of the store. */
  readonly unexpected: readonly string[];
  /** Streams whose events the stream holds in another order than their stream positions. */
  readonly outOfOrder: readonly string[];
}

export function deliveryReport(messages: readonly StoredMessage[], events: readonly EventEnvelope[]): DeliveryReport {
  const known = new Set(events.map((event) => event.eventId));
  const seen = new Map<string, number>();
  for (const message of messages) seen.set(message.eventId, (seen.get(message.eventId) ?? 0) + 1);
  const lastPosition = new Map<string, number>();
  const outOfOrder = new Set<string>();
  for (const message of messages) {
    if (message.streamPosition <= (lastPosition.get(message.streamId) ?? -1)) outOfOrder.add(message.streamId);
    lastPosition.set(message.streamId, message.streamPosition);
  }
  return {
    messages: messages.length,
    events: events.length,
    missing: events.filter((event) => !seen.has(event.eventId)).map((event) => event.eventId),
    duplicated: [...seen].filter(([, times]) => times > 1).map(([id]) => id),
    unexpected: [...seen.keys()].filter((id) => !known.has(id)),
    outOfOrder: [...outOfOrder],
  };
}

/** The report of a perfect copy, to compare with. */
export function perfectDelivery(events: readonly EventEnvelope[]): DeliveryReport {
  return { messages: events.length, events: events.length, missing: [], duplicated: [], unexpected: [], outOfOrder: [] };
}
