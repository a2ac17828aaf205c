import { DeadLetterHeader, deadLetterSubject, EventHeader, isArrearsError, replaySubject, type Topology } from '@arrears/contracts';
import { headers as natsHeaders, type JetStreamClient, type JetStreamManager, type JsMsg, type MsgHdrs } from 'nats';

const DEAD_LETTER_HEADERS = new Set<string>(Object.values(DeadLetterHeader).map((name) => name.toLowerCase()));

export interface DeadLetterCause {
  readonly service: string;
  readonly handler: string;
  readonly error: unknown;
  readonly failedAt: Date;
}

/**
 * Publishes a failed event to the dead-letter stream and waits for JetStream to store it. The message id makes a
 * retried dead-lettering (the process died before it could `term` the original) store it once.
 */
export async function publishDeadLetter(js: JetStreamClient, topology: Topology, msg: JsMsg, cause: DeadLetterCause): Promise<void> {
  const headers = copyHeaders(msg.headers);
  const { message, code, field } = describeError(cause.error);
  headers.set(DeadLetterHeader.ERROR, headerValue(message));
  if (code !== undefined) headers.set(DeadLetterHeader.ERROR_CODE, code);
  if (field !== undefined) headers.set(DeadLetterHeader.ERROR_FIELD, headerValue(field));
  headers.set(DeadLetterHeader.SERVICE, cause.service);
  headers.set(DeadLetterHeader.HANDLER, cause.handler);
  headers.set(DeadLetterHeader.SUBJECT, msg.subject);
  headers.set(DeadLetterHeader.STREAM, msg.info.stream);
  headers.set(DeadLetterHeader.SEQUENCE, String(msg.seq));
  headers.set(DeadLetterHeader.DELIVERIES, String(msg.info.deliveryCount));
  headers.set(DeadLetterHeader.FAILED_AT, cause.failedAt.toISOString());
  await js.publish(deadLetterSubject(topology, cause.service, cause.handler), msg.data, {
    headers,
    msgID: `dlq:${cause.service}:${cause.handler}:${msg.info.stream}:${msg.seq}`,
  });
}

export interface DeadLetter {
  /** Its sequence in the dead-letter stream: what `replayDeadLetters` and an operator refer to. */
  readonly sequence: number;
  readonly service: string;
  readonly handler: string;
  readonly error: string;
  readonly errorCode: string | undefined;
  readonly errorField: string | undefined;
  readonly originalSubject: string;
  readonly originalStream: string;
  readonly originalSequence: number;
  readonly deliveries: number;
  readonly failedAt: string;
  /** The event id, when the message carried one (an undecodable message may not). */
  readonly eventId: string | undefined;
  readonly headers: MsgHdrs | undefined;
  readonly data: Uint8Array;
}

export interface DeadLetterQuery {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly topology: Topology;
  readonly service: string;
  /** One handler's dead letters; all of the service's when omitted. */
  readonly handler?: string;
  readonly limit?: number;
}

/** The dead letters of a service (or one of its handlers), oldest first. */
export async function listDeadLetters(query: DeadLetterQuery): Promise<DeadLetter[]> {
  const { js, jsm, topology } = query;
  const subject = deadLetterSubject(topology, query.service, query.handler ?? '*');
  const info = await jsm.streams.info(topology.deadLetterStream, { subjects_filter: subject });
  const stored = Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
  const wanted = Math.min(stored, query.limit ?? Number.MAX_SAFE_INTEGER);
  if (wanted === 0) return [];
  // An ordered consumer: ephemeral, nothing to acknowledge, removed by the server once idle.
  const reader = await js.consumers.get(topology.deadLetterStream, { filterSubjects: subject });
  const letters: DeadLetter[] = [];
  const messages = await reader.fetch({ max_messages: wanted, expires: 5_000 });
  for await (const msg of messages) {
    letters.push(toDeadLetter(msg));
    if (letters.length >= wanted || msg.info.pending === 0) break;
  }
  return letters;
}

export interface ReplayResult {
  /** Sequences (in the dead-letter stream) of the dead letters moved back to their handlers. */
  readonly replayed: readonly number[];
}

/**
 * Moves dead letters back to the handler that failed them: each is republished to the handler's replay subject
 * (stored durably, consumed by that handler's replay consumer only — other handlers of the event are not
 * bothered), and deleted from the dead letters once JetStream has the copy. Replaying twice, or again after a
 * crash between the two steps, publishes one copy: the copy's message id is the dead letter's sequence.
 */
export async function replayDeadLetters(query: DeadLetterQuery, progress: { onReplayed?: (letter: DeadLetter) => void } = {}): Promise<ReplayResult> {
  const { js, jsm, topology } = query;
  const replayed: number[] = [];
  for (const letter of await listDeadLetters(query)) {
    const headers = copyHeaders(letter.headers);
    headers.set(DeadLetterHeader.REPLAY_OF, String(letter.sequence));
    await js.publish(replaySubject(topology, letter.service, letter.handler), letter.data, {
      headers,
      msgID: `replay:${topology.deadLetterStream}:${letter.sequence}`,
    });
    await deleteDeadLetter(jsm, topology, letter.sequence);
    replayed.push(letter.sequence);
    progress.onReplayed?.(letter);
  }
  return { replayed };
}

/** A dead letter already gone was deleted by a replay running at the same time: the outcome is the same. */
async function deleteDeadLetter(jsm: JetStreamManager, topology: Topology, sequence: number): Promise<void> {
  try {
    await jsm.streams.deleteMessage(topology.deadLetterStream, sequence, false);
  } catch (error) {
    if (!(error instanceof Error && /no message found/i.test(error.message))) throw error;
  }
}

function toDeadLetter(msg: JsMsg): DeadLetter {
  const header = (name: string) => msg.headers?.get(name) || undefined;
  // `<root>.dlq.<service>.<handler>`: the headers say the same, the subject is the fallback.
  const [handler = '', service = ''] = msg.subject.split('.').reverse();
  return {
    sequence: msg.seq,
    service: header(DeadLetterHeader.SERVICE) ?? service,
    handler: header(DeadLetterHeader.HANDLER) ?? handler,
    error: header(DeadLetterHeader.ERROR) ?? '',
    errorCode: header(DeadLetterHeader.ERROR_CODE),
    errorField: header(DeadLetterHeader.ERROR_FIELD),
    originalSubject: header(DeadLetterHeader.SUBJECT) ?? '',
    originalStream: header(DeadLetterHeader.STREAM) ?? '',
    originalSequence: Number(header(DeadLetterHeader.SEQUENCE) ?? 0),
    deliveries: Number(header(DeadLetterHeader.DELIVERIES) ?? 0),
    failedAt: header(DeadLetterHeader.FAILED_AT) ?? '',
    eventId: header(EventHeader.EVENT_ID),
    headers: msg.headers,
    data: msg.data,
  };
}

/** The original headers without JetStream's de-duplication id (each copy gets its own) or earlier dead-letter notes. */
function copyHeaders(source: MsgHdrs | undefined): MsgHdrs {
  const copy = natsHeaders();
  if (source === undefined) return copy;
  for (const [name, values] of source) {
    if (name.toLowerCase() === EventHeader.MSG_ID.toLowerCase() || DEAD_LETTER_HEADERS.has(name.toLowerCase())) continue;
    for (const value of values) copy.append(name, value);
  }
  return copy;
}

export function describeError(error: unknown): { message: string; code: string | undefined; field: string | undefined } {
  if (isArrearsError(error)) return { message: error.message, code: error.code, field: error.field };
  if (error instanceof Error) return { message: `${error.name}: ${error.message}`, code: undefined, field: undefined };
  if (typeof error === 'object' && error !== null && 'message' in error) return { message: String(error.message), code: undefined, field: undefined };
  return { message: String(error), code: undefined, field: undefined };
}

/** Header values are one line of limited length. */
function headerValue(text: string): string {
  const line = text.replace(/[\r\n]+/g, ' ').trim();
  return line.length > 1_000 ? `${line.slice(0, 997)}...` : line || '(no message)';
}
