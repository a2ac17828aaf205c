import { EventHeader, natsTopology } from '@arrears/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { headers, type Msg, type NatsConnection } from 'nats';
import { Tokens } from '../auth/tokens';
import { EVENT_STREAM_PATH, EVENT_TICKET_PATH, registerEventStream, TICKET_SECONDS } from './event-stream';

/** A core subscription fed by the test: what a published event looks like to the gateway. */
class FakeSubscription {
  private readonly queue: Msg[] = [];
  private wake: (() => void) | undefined;
  closed = false;

  push(message: Msg): void {
    this.queue.push(message);
    this.wake?.();
  }

  unsubscribe(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Msg> {
    while (!this.closed) {
      const next = this.queue.shift();
      if (next !== undefined) yield next;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

function event(type: string, streamId: string, caseId: string): Msg {
  const header = headers();
  header.set(EventHeader.TYPE, type);
  header.set(EventHeader.STREAM_ID, streamId);
  header.set(EventHeader.CASE_ID, caseId);
  header.set(EventHeader.OCCURRED_AT, '2026-11-30T10:00:00.000Z');
  return { subject: `arrears.evt.accounts.${type}`, headers: header, data: new TextEncoder().encode('{"debtor":{"name":"Ada Example"}}') } as unknown as Msg;
}

/** Reads the stream until `count` `event: arrears` records have come, then stops reading. */
async function notices(response: Response, count: number): Promise<unknown[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const found = (): unknown[] => [...text.matchAll(/event: arrears\ndata: (.*)\n\n/g)].map((match) => JSON.parse(match[1] as string));
  while (found().length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return found();
}

describe('the event stream', () => {
  const tokens = new Tokens('a-secret-for-the-event-stream-unit-test');
  const subscriptions: FakeSubscription[] = [];
  let fastify: FastifyInstance;
  let base: string;
  let url: string;

  beforeAll(async () => {
    const nats = { subscribe: () => subscriptions[subscriptions.push(new FakeSubscription()) - 1] } as unknown as NatsConnection;
    const assignments: Record<string, string> = { 'case-1': 'collector-1', 'case-2': 'collector-2' };
    fastify = Fastify();
    const handed = new Set(['case-2']);
    registerEventStream(fastify, { nats, topology: natsTopology(), tokens, collectorOf: async (caseId) => assignments[caseId] ?? null, handedToLegal: async (caseId) => handed.has(caseId) });
    base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    url = `${base}${EVENT_STREAM_PATH}`;
  });


  const token = (operatorId: string, role: 'collector' | 'supervisor' | 'system' | 'legal') => tokens.sign({ operatorId, role }, 60);
  /** A ticket as the dashboard gets one: POST with the bearer token in the header. */
  const ticketFor = async (bearer: string) => {
    const response = await fetch(`${base}${EVENT_TICKET_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` } });
    return { status: response.status, body: (await response.json()) as { ticket: string; expiresAt: string; stream: string; code?: string } };
  };

  it('refuses a request without a token (401) and a role that is not a dashboard user (403)', async () => {
    expect(await (await fetch(url)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await (await fetch(url, { headers: { authorization: `Bearer ${token('system:lender', 'system')}` } })).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(await ticketFor(token('system:lender', 'system'))).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('takes no token in the URL, only a short-lived ticket that opens the stream and nothing else', async () => {
    // An API token in the URL is refused, even a good one: URLs end up in proxies' logs.
    expect(await (await fetch(`${url}?access_token=${token('supervisor-1', 'supervisor')}`)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', field: 'access_token' });
    const { status, body } = await ticketFor(token('supervisor-1', 'supervisor'));
    expect(status).toBe(201);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(TICKET_SECONDS * 1000);
    expect(body.stream).toBe(`${EVENT_STREAM_PATH}?ticket=${body.ticket}`);
    const opened = await fetch(`${base}${body.stream}`);
    expect(opened.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await opened.body?.cancel();
    // A ticket is not a bearer token, nor a bearer token a ticket; an expired ticket opens nothing.
    await expect(tokens.operatorOf(`Bearer ${body.ticket}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await (await fetch(`${url}?ticket=${token('supervisor-1', 'supervisor')}`)).json()).toMatchObject({ status: 401, field: 'ticket' });
    const expired = tokens.streamTicket({ operatorId: 'supervisor-1', role: 'supervisor' }, -10);
    expect(await (await fetch(`${url}?ticket=${expired}`)).json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: expect.stringContaining('expired') });
    expect(await ticketFor('not-a-token')).toMatchObject({ status: 401 });
  });

  it("sends a supervisor every event's type, stream, case and time — never its data", async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token('supervisor-1', 'supervisor')}` } });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const subscription = subscriptions.at(-1) as FakeSubscription;
    subscription.push(event('PaymentPosted', 'account-case-1', 'case-1'));
    subscription.push(event('ContactAllowed', 'contact-x', 'case-2'));
    expect(await notices(response, 2)).toEqual([
      { type: 'PaymentPosted', streamId: 'account-case-1', caseId: 'case-1', occurredAt: '2026-11-30T10:00:00.000Z' },
      { type: 'ContactAllowed', streamId: 'contact-x', caseId: 'case-2', occurredAt: '2026-11-30T10:00:00.000Z' },
    ]);
  });

  it("sends a collector (by ticket) only their own cases' events, and unsubscribes when they leave", async () => {
    const response = await fetch(`${base}${(await ticketFor(token('collector-1', 'collector'))).body.stream}`);
    const subscription = subscriptions.at(-1) as FakeSubscription;
    subscription.push(event('ContactAllowed', 'contact-y', 'case-2'));
    subscription.push(event('PromiseRecorded', 'promise-case-1', 'case-1'));
    expect(await notices(response, 1)).toEqual([expect.objectContaining({ type: 'PromiseRecorded', caseId: 'case-1' })]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(subscription.closed).toBe(true);
  });

  it('sends the legal department only the events of cases handed to it', async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token('legal-1', 'legal')}` } });
    const subscription = subscriptions.at(-1) as FakeSubscription;
    subscription.push(event('PromiseRecorded', 'promise-case-1', 'case-1'));
    subscription.push(event('HandoffStarted', 'legal-case-2', 'case-2'));
    expect(await notices(response, 1)).toEqual([expect.objectContaining({ type: 'HandoffStarted', caseId: 'case-2' })]);
  });

  it('ends the streams still open when the gateway closes', async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token('supervisor-1', 'supervisor')}` } });
    const subscription = subscriptions.at(-1) as FakeSubscription;
    await fastify.close();
    expect(subscription.closed).toBe(true);
    expect(await response.text()).toMatch(/^retry: 3000\nevent: ready\n/);
  });
});
