import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CommandCatalog, defineCommand, defineEvent, EventCatalog } from './catalog';
import { ArrearsError, ErrorCode } from './errors';

// A service's published language, as a service would write it in contracts/src/<service>/.
const Money = z.object({ minor: z.number().int(), currency: z.string().length(3) }).strict();

const PromiseRecorded = defineEvent({
  service: 'promises-to-pay',
  type: 'PromiseRecorded',
  version: 3,
  description: 'A debtor promised to pay an amount by a date.',
  schema: z.object({ promiseId: z.uuid(), amount: Money, dueDate: z.iso.date(), channel: z.enum(['call', 'sms', 'email']) }).strict(),
  past: [
    {
      version: 1,
      schema: z.object({ promiseId: z.uuid(), amountCents: z.number().int(), dueDate: z.iso.date() }).strict(),
      upcast: ({ amountCents, ...rest }) => ({ ...rest, amount: { minor: amountCents, currency: 'USD' } }),
    },
    {
      version: 2,
      schema: z.object({ promiseId: z.uuid(), amount: Money, dueDate: z.iso.date() }).strict(),
      upcast: (data) => ({ ...data, channel: 'call' }),
    },
  ],
});
const PromiseKept = defineEvent({
  service: 'promises-to-pay',
  type: 'PromiseKept',
  version: 1,
  description: 'Payments covered the promised amount by the due date.',
  schema: z.object({ promiseId: z.uuid() }).strict(),
});
const events = new EventCatalog([PromiseRecorded, PromiseKept]);

const RecordPromise = defineCommand({
  service: 'promises-to-pay',
  type: 'RecordPromise',
  description: 'Record a promise to pay.',
  schema: z.object({ caseId: z.uuid(), amount: Money, dueDate: z.iso.date() }).strict(),
});
const commands = new CommandCatalog([RecordPromise]);

function thrown(work: () => unknown): ArrearsError {
  try {
    work();
  } catch (error) {
    if (error instanceof ArrearsError) return error;
    throw error;
  }
  throw new Error('expected an ArrearsError');
}

describe('event catalog', () => {
  const promiseId = randomUUID();

  it('encodes with the current version and refuses data that does not fit, naming the field', () => {
    const data = { promiseId, amount: { minor: 5000, currency: 'EUR' }, dueDate: '2026-12-24', channel: 'sms' as const };
    expect(events.encode({ type: 'PromiseRecorded', data })).toEqual({ type: 'PromiseRecorded', schemaVersion: 3, data });
    const error = thrown(() => events.encode({ type: 'PromiseRecorded', data: { ...data, amount: { minor: 50.5, currency: 'EUR' } } }));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.field).toBe('data.amount.minor');
  });

  it('upcasts every stored version to the current shape', () => {
    expect(events.decode({ type: 'PromiseRecorded', schemaVersion: 1, data: { promiseId, amountCents: 1234, dueDate: '2026-12-01' } })).toEqual({
      type: 'PromiseRecorded',
      data: { promiseId, amount: { minor: 1234, currency: 'USD' }, dueDate: '2026-12-01', channel: 'call' },
    });
    expect(
      events.decode({ type: 'PromiseRecorded', schemaVersion: 2, data: { promiseId, amount: { minor: 1, currency: 'GBP' }, dueDate: '2026-12-01' } }).data,
    ).toEqual({ promiseId, amount: { minor: 1, currency: 'GBP' }, dueDate: '2026-12-01', channel: 'call' });
  });

  it('refuses unknown types and versions, and stored data that does not match its version', () => {
    expect(thrown(() => events.decode({ type: 'PromiseForgotten', schemaVersion: 1, data: {} })).field).toBe('type');
    expect(thrown(() => events.decode({ type: 'PromiseRecorded', schemaVersion: 4, data: {} })).field).toBe('schemaVersion');
    expect(thrown(() => events.decode({ type: 'PromiseRecorded', schemaVersion: 1, data: { promiseId, dueDate: '2026-12-01' } })).field).toBe(
      'data.amountCents',
    );
  });

  it('refuses a definition whose upcaster chain has a hole, and a type defined twice', () => {
    const schema = z.object({}).strict();
    expect(() => defineEvent({ service: 'accounts', type: 'AccountPlaced', version: 3, description: '', schema, past: [{ version: 1, schema, upcast: (d) => d }] })).toThrow(
      /upcasters from every earlier version/,
    );
    expect(() => defineEvent({ service: 'accounts', type: 'AccountPlaced', version: 2, description: '', schema, past: [{ version: 2, schema, upcast: (d) => d }] })).toThrow(
      /must run 1, 2/,
    );
    expect(() => new EventCatalog([PromiseKept, PromiseKept])).toThrow(/defined twice/);
  });
});

describe('command catalog', () => {
  const valid = () => ({
    commandId: randomUUID(),
    type: 'RecordPromise',
    schemaVersion: 1,
    data: { caseId: randomUUID(), amount: { minor: 100, currency: 'EUR' }, dueDate: '2026-12-24' },
    metadata: { correlationId: randomUUID(), actorId: 'collector-7', actorRole: 'collector', now: '2026-11-29T10:00:00.000Z' },
  });

  it('parses a valid command', () => {
    const input = valid();
    expect(commands.parse(input)).toEqual(input);
  });

  it.each([
    ['a bad command id', (c: ReturnType<typeof valid>) => ({ ...c, commandId: '42' }), 'commandId'],
    ['a missing now', (c: ReturnType<typeof valid>) => ({ ...c, metadata: { ...c.metadata, now: undefined } }), 'metadata.now'],
    ['an unknown role', (c: ReturnType<typeof valid>) => ({ ...c, metadata: { ...c.metadata, actorRole: 'intern' } }), 'metadata.actorRole'],
    ['an unknown command', (c: ReturnType<typeof valid>) => ({ ...c, type: 'ForgetPromise' }), 'type'],
    ['a stale schema version', (c: ReturnType<typeof valid>) => ({ ...c, schemaVersion: 2 }), 'schemaVersion'],
    ['bad data', (c: ReturnType<typeof valid>) => ({ ...c, data: { ...c.data, dueDate: '24/12/2026' } }), 'data.dueDate'],
    ['an unexpected field', (c: ReturnType<typeof valid>) => ({ ...c, data: { ...c.data, discount: 5 } }), 'data'],
  ])('refuses %s with VALIDATION_FAILED naming the field', (_, change, field) => {
    const error = thrown(() => commands.parse(change(valid())));
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(error.field).toBe(field);
    expect(error.toJSON()).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });
});
