import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from './envelope';
import { commandSubject, CommandReplySchema, EventHeader, eventSubject, eventToMessage, messageToEvent, natsTopology } from './messaging';
import { globalPosition } from './position';

const event = (overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  eventId: randomUUID(),
  type: 'PromiseBroken',
  schemaVersion: 2,
  streamId: `promise-${randomUUID()}`,
  streamPosition: 4,
  globalPosition: globalPosition(912, 77),
  occurredAt: '2026-11-29T09:30:00.000Z',
  recordedAt: '2026-11-29T09:30:00.120Z',
  data: { promiseId: randomUUID(), amount: { minor: 5000, currency: 'EUR' } },
  metadata: {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    caseId: randomUUID(),
    actorId: 'system:promises-to-pay',
    actorRole: 'system',
    trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'arrears=1' },
  },
  ...overrides,
});

describe('events on the wire', () => {
  it('subjects name the owning service and the event type', () => {
    expect(eventSubject(event())).toBe('arrears.evt.promises-to-pay.PromiseBroken');
    expect(eventSubject({ streamId: 'account-42', type: 'AccountPlaced' })).toBe('arrears.evt.accounts.AccountPlaced');
    expect(eventSubject({ streamId: 'unowned-1', type: 'X' })).toBe('arrears.evt.unowned.X');
    expect(commandSubject('payment-plans', 'ProposePlan')).toBe('arrears.cmd.payment-plans.ProposePlan');
    expect(() => commandSubject('accounts', 'Place.Account')).toThrow(/subject token/);
  });

  it('an envelope survives the trip through headers and body unchanged', () => {
    const original = event();
    const message = eventToMessage(original);
    expect(message.headers[EventHeader.MSG_ID]).toBe(original.eventId);
    expect(JSON.parse(message.body)).toEqual(original.data);
    expect(messageToEvent((name) => message.headers[name], message.body)).toEqual(original);
  });

  it('optional metadata stays absent', () => {
    const { caseId: _case, trace: _trace, ...metadata } = event().metadata;
    const original = event({ metadata });
    const message = eventToMessage(original);
    expect(message.headers[EventHeader.CASE_ID]).toBeUndefined();
    expect(messageToEvent((name) => message.headers[name], message.body)).toEqual(original);
  });

  it('a message missing a header or with a broken body is refused, naming the field', () => {
    const message = eventToMessage(event());
    const without = (name: string) => (header: string) => (header === name ? undefined : message.headers[header]);
    expect(() => messageToEvent(without(EventHeader.ACTOR_ROLE), message.body)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'metadata.actorRole' }));
    expect(() => messageToEvent((name) => message.headers[name], '{')).toThrow(expect.objectContaining({ field: 'data' }));
  });

  it('a command reply is a result or a typed error', () => {
    expect(CommandReplySchema.safeParse({ ok: true, result: { version: 3 } }).success).toBe(true);
    expect(CommandReplySchema.safeParse({ ok: false, error: { code: 'NOT_FOUND', message: 'no such case', field: 'caseId' } }).success).toBe(true);
    expect(CommandReplySchema.safeParse({ ok: false, error: { code: 'OOPS', message: '' } }).success).toBe(false);
  });
});

describe('topology', () => {
  it('derives stream names and subject prefixes from one root', () => {
    const topology = natsTopology('t_1a2b');
    expect(topology).toEqual({
      root: 't_1a2b',
      eventsStream: 'T_1A2B_EVENTS',
      deadLetterStream: 'T_1A2B_DLQ',
      eventPrefix: 't_1a2b.evt',
      commandPrefix: 't_1a2b.cmd',
      deadLetterPrefix: 't_1a2b.dlq',
    });
    expect(eventSubject({ streamId: 'account-1', type: 'AccountPlaced' }, topology)).toBe('t_1a2b.evt.accounts.AccountPlaced');
    expect(() => natsTopology('Bad.Root')).toThrow();
  });
});
