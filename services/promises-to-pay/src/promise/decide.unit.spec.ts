import { randomUUID } from 'node:crypto';
import { ErrorCode, EventCatalog, promisesToPay, type Role } from '@arrears/contracts';
import { deciderSpec } from '@arrears/testing';
import type { PromiseCommandBody, PromiseCommandEnvelope } from './domain/commands';
import { promiseDecider } from './domain/decide';
import { DEFAULT_PROMISE_POLICY, type PromisePolicy } from './domain/policy';
import { evolve, initialState, type PromiseEvent } from './domain/promises';

const catalog = new EventCatalog(promisesToPay.PROMISE_EVENTS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const usd = (minor: number) => ({ minor, currency: 'USD' });

function specFor(policy: PromisePolicy) {
  return deciderSpec({
    initialState,
    evolve,
    decide: promiseDecider(policy),
    command: (body: PromiseCommandBody, options?: { now?: string; role?: Role }): PromiseCommandEnvelope => ({
      ...body,
      commandId: randomUUID(),
      schemaVersion: 1,
      metadata: { correlationId: randomUUID(), caseId: accountId, actorId: 'collector-7', actorRole: options?.role ?? 'collector', now: options?.now ?? '2026-11-30T15:00:00.000Z' },
    }),
    check: (event: PromiseEvent) => catalog.encode(event),
  });
}
const given = specFor(DEFAULT_PROMISE_POLICY);

const record = (promiseId: string, minor = 20_000, dueDate = '2026-12-05'): PromiseCommandBody => ({ type: 'RecordPromise', data: { promiseId, accountId, amount: usd(minor), dueDate, channel: 'call' } });
const pay = (reference: string, minor: number, receivedOn = '2026-12-02', currency = 'USD'): PromiseCommandBody => ({
  type: 'ApplyPayment',
  data: { accountId, paymentReference: reference, amount: { minor, currency }, receivedOn },
});
const due = (promiseId: string): PromiseCommandBody => ({ type: 'CheckPromiseDue', data: { accountId, promiseId } });

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const promised = () => given().when(record(P1)).events();

describe('RecordPromise', () => {
  it('records the promise with the day it was made and when it breaks: the day after due date plus grace', () => {
    expect(promised()).toEqual([
      {
        type: 'PromiseRecorded',
        data: { promiseId: P1, accountId, amount: usd(20_000), madeOn: '2026-11-30', dueDate: '2026-12-05', graceDays: 3, breaksAt: '2026-12-09T00:00:00.000Z', channel: 'call', operatorId: 'collector-7' },
      },
    ]);
  });

  it('allows one open promise per case unless configured otherwise', () => {
    given(...promised()).when(record(P2)).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
    const two = specFor({ ...DEFAULT_PROMISE_POLICY, maxOpenPerCase: 2 });
    expect(two(...promised()).when(record(P2)).events()[0]?.type).toBe('PromiseRecorded');
  });

  it('is made on a placed, open account, in its currency', () => {
    const on = (account: { status: 'unplaced' | 'open' | 'closed'; currency?: string }): PromiseCommandBody => ({ ...(record(P1) as Extract<PromiseCommandBody, { type: 'RecordPromise' }>), account });
    given().when(on({ status: 'unplaced' })).thenRefuses(ErrorCode.NOT_FOUND, 'data.accountId');
    given().when(on({ status: 'closed', currency: 'USD' })).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.accountId');
    given().when(on({ status: 'open', currency: 'EUR' })).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.amount.currency');
    expect(given().when(on({ status: 'open', currency: 'USD' })).events()[0]?.type).toBe('PromiseRecorded');
  });

  it('refuses a due date that has passed or is too far ahead, and a promise id used before', () => {
    given().when(record(P1, 20_000, '2026-11-29')).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.dueDate');
    given().when(record(P1, 20_000, '2027-02-01')).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.dueDate');
    given(...promised()).when(record(P1)).thenRefuses(ErrorCode.IDEMPOTENCY_CONFLICT, 'data.promiseId');
  });
});

describe('payments against promises', () => {
  it('a partial payment leaves the promise open; the rest keeps it', () => {
    const partial = given(...promised()).when(pay('BANK-1', 5_000)).events();
    expect(partial).toEqual([{ type: 'PromisePartiallyKept', data: { promiseId: P1, accountId, paymentReference: 'BANK-1', applied: usd(5_000), paidTotal: usd(5_000), promised: usd(20_000) } }]);
    const rest = given(...promised(), ...partial).when(pay('BANK-2', 15_000)).events();
    expect(rest).toEqual([{ type: 'PromiseKept', data: { promiseId: P1, accountId, paymentReference: 'BANK-2', applied: usd(15_000), paidTotal: usd(20_000), promised: usd(20_000) } }]);
  });

  it('an overpayment keeps the promise with what it needed', () => {
    expect(given(...promised()).when(pay('BANK-1', 50_000)).events()).toEqual([
      { type: 'PromiseKept', data: expect.objectContaining({ applied: usd(20_000), paidTotal: usd(20_000) }) },
    ]);
  });

  it('a payment delivered again changes nothing — also after the promise it kept is settled', () => {
    const partial = given(...promised()).when(pay('BANK-1', 5_000)).events();
    expect(given(...promised(), ...partial).when(pay('BANK-1', 5_000)).events()).toEqual([]);
    const kept = given(...promised()).when(pay('BANK-9', 20_000)).events();
    const next = given(...promised(), ...kept).when(record(P2)).events();
    expect(given(...promised(), ...kept, ...next).when(pay('BANK-9', 20_000)).events()).toEqual([]);
  });

  it('a payment in another currency, before the promise was made, or after it broke goes to no promise', () => {
    given(...promised()).when(pay('EUR-1', 20_000, '2026-12-02', 'EUR')).then([]);
    given(...promised()).when(pay('EARLY', 20_000, '2026-11-29')).then([]);
    given(...promised()).when(pay('LATE', 20_000, '2026-12-09')).then([]);
    // The last day of grace still counts.
    expect(given(...promised()).when(pay('LAST', 20_000, '2026-12-08')).events()[0]?.type).toBe('PromiseKept');
  });
});

describe('the break check (a durable timer)', () => {
  it('breaks the promise at its break time exactly, not a millisecond before, with what was paid', () => {
    const partial = given(...promised()).when(pay('BANK-1', 5_000)).events();
    given(...promised(), ...partial).when(due(P1), { now: '2026-12-08T23:59:59.999Z' }).then([]);
    given(...promised(), ...partial)
      .when(due(P1), { now: '2026-12-09T00:00:00.000Z' })
      .then([{ type: 'PromiseBroken', data: { promiseId: P1, accountId, promised: usd(20_000), paid: usd(5_000), dueDate: '2026-12-05', brokenOn: '2026-12-09' } }]);
  });

  it('re-checks: a kept, cancelled or already broken promise does not break', () => {
    const kept = given(...promised()).when(pay('BANK-1', 20_000)).events();
    given(...promised(), ...kept).when(due(P1), { now: '2026-12-10T00:00:00.000Z' }).then([]);
    const cancelled = given(...promised()).when({ type: 'CancelPromise', data: { promiseId: P1, accountId, reason: 'replaced by a plan' } }).events();
    given(...promised(), ...cancelled).when(due(P1), { now: '2026-12-10T00:00:00.000Z' }).then([]);
    const broken = given(...promised()).when(due(P1), { now: '2026-12-10T00:00:00.000Z' }).events();
    given(...promised(), ...broken).when(due(P1), { now: '2026-12-11T00:00:00.000Z' }).then([]);
  });
});

describe('CancelPromise', () => {
  it('cancels an open promise once; refuses an unknown or a settled one', () => {
    const cancel: PromiseCommandBody = { type: 'CancelPromise', data: { promiseId: P1, accountId, reason: 'recorded by mistake' } };
    const cancelled = given(...promised()).when(cancel).events();
    expect(cancelled).toEqual([{ type: 'PromiseCancelled', data: { promiseId: P1, accountId, reason: 'recorded by mistake' } }]);
    given(...promised(), ...cancelled).when(cancel).then([]);
    given().when(cancel).thenRefuses(ErrorCode.NOT_FOUND, 'data.promiseId');
    const kept = given(...promised()).when(pay('BANK-1', 20_000)).events();
    given(...promised(), ...kept).when(cancel).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.promiseId');
  });
});
