/** Promise and account histories for the read-model tests: stored envelopes built by hand, data validated by the contracts. */
import { randomUUID } from 'node:crypto';
import { EventCatalog, promisesToPay, type EventEnvelope, type Role } from '@arrears/contracts';
import { AccountStream, History } from '@arrears/read-models/src/testing/history';
import { accountPlaced, storedEvent } from '@arrears/testing';

type PromiseEvent = promisesToPay.PromiseEvent;
type Actor = { readonly id: string; readonly role: Role };
type Channel = Extract<PromiseEvent, { type: 'PromiseRecorded' }>['data']['channel'];

const promiseCatalog = new EventCatalog(promisesToPay.PROMISE_EVENTS);
const SYSTEM: Actor = { id: 'system:promises-to-pay', role: 'system' };

export { AccountStream, History };

/** `2026-04-10` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface PromiseTerms {
  readonly promiseId?: string;
  readonly operatorId?: string;
  /** Minor units. */
  readonly amount: number;
  readonly currency?: string;
  readonly madeOn: string;
  readonly dueDate: string;
  readonly graceDays?: number;
  readonly channel?: Channel;
  /** When it was recorded; default 15:00 UTC on `madeOn`. */
  readonly at?: string;
}

interface Tracked {
  readonly amount: { readonly minor: number; readonly currency: string };
  readonly dueDate: string;
  readonly breaksAt: string;
  readonly breaksOn: string;
  paid: number;
  payments: number;
}

/**
 * One case's promise stream (`promise-<accountId>`): each append is the next stored event, with positions, ids and
 * metadata as the store gives them (`caseId` the account, `actorId` the operator, or the service for the timer's work),
 * stored on `history`.
 */
export class PromiseStream {
  readonly events: EventEnvelope[] = [];
  private readonly promises = new Map<string, Tracked>();

  constructor(
    readonly accountId: string = randomUUID(),
    private readonly history: History = new History(),
  ) {}

  append<T extends PromiseEvent['type']>(type: T, data: Omit<Extract<PromiseEvent, { type: T }>['data'], 'accountId'>, occurredAt: string, actor: Actor = SYSTEM): EventEnvelope {
    // The contract's schema checks the data at run time; TypeScript cannot follow T through the spread.
    const encoded = promiseCatalog.encode({ type, data: { accountId: this.accountId, ...data } } as unknown as PromiseEvent);
    const event = this.history.store(storedEvent(encoded, this.accountId, { occurredAt, actorId: actor.id, actorRole: actor.role }), `promise-${this.accountId}`, this.events.length);
    this.events.push(event);
    return event;
  }

  /** A PromiseRecorded; it breaks at 00:00 UTC on the day after the due date plus grace. Returns the promise id. */
  record(terms: PromiseTerms): string {
    const promiseId = terms.promiseId ?? randomUUID();
    const graceDays = terms.graceDays ?? 3;
    const operatorId = terms.operatorId ?? 'collector-7';
    const amount = { minor: terms.amount, currency: terms.currency ?? 'USD' };
    const breaksOn = addDays(terms.dueDate, graceDays + 1);
    const breaksAt = `${breaksOn}T00:00:00.000Z`;
    this.append(
      'PromiseRecorded',
      { promiseId, amount, madeOn: terms.madeOn, dueDate: terms.dueDate, graceDays, breaksAt, channel: terms.channel ?? 'call', operatorId },
      terms.at ?? `${terms.madeOn}T15:00:00.000Z`,
      { id: operatorId, role: 'collector' },
    );
    this.promises.set(promiseId, { amount, dueDate: terms.dueDate, breaksAt, breaksOn, paid: 0, payments: 0 });
    return promiseId;
  }

  /** A payment matched to the promise: PromiseKept once the paid total reaches the promise, PromisePartiallyKept before. */
  pay(promiseId: string, applied: number, at: string): EventEnvelope {
    const promise = this.tracked(promiseId);
    promise.paid += applied;
    promise.payments += 1;
    const data = {
      promiseId,
      paymentReference: `pay-${promiseId.slice(0, 8)}-${promise.payments}`,
      applied: { minor: applied, currency: promise.amount.currency },
      paidTotal: { minor: promise.paid, currency: promise.amount.currency },
      promised: promise.amount,
    };
    return promise.paid >= promise.amount.minor ? this.append('PromiseKept', data, at) : this.append('PromisePartiallyKept', data, at);
  }

  /** The break timer firing at `breaksAt`. */
  breakOff(promiseId: string): EventEnvelope {
    const promise = this.tracked(promiseId);
    const { amount, dueDate, breaksAt, breaksOn, paid } = promise;
    return this.append('PromiseBroken', { promiseId, promised: amount, paid: { minor: paid, currency: amount.currency }, dueDate, brokenOn: breaksOn }, breaksAt);
  }

  cancel(promiseId: string, reason: string, at: string, operatorId = 'supervisor-3'): EventEnvelope {
    this.tracked(promiseId);
    return this.append('PromiseCancelled', { promiseId, reason }, at, { id: operatorId, role: 'supervisor' });
  }

  private tracked(promiseId: string): Tracked {
    const promise = this.promises.get(promiseId);
    if (promise === undefined) throw new Error(`promise ${promiseId} was not recorded on this stream`);
    return promise;
  }
}

/** Every event of the streams in the order they happened (each stream keeps its own order): the store's commit order. */
export function inTimeOrder(streams: readonly { readonly events: readonly EventEnvelope[] }[]): EventEnvelope[] {
  return streams
    .flatMap((stream) => stream.events)
    .map((event, index) => ({ event, index }))
    .sort((x, y) => Date.parse(x.event.occurredAt) - Date.parse(y.event.occurredAt) || x.index - y.index)
    .map(({ event }) => event);
}

export interface Case {
  readonly accountId: string;
  readonly promises: PromiseStream;
  readonly account: AccountStream;
}

export interface RealisticPromises {
  readonly promiseStreams: readonly PromiseStream[];
  readonly accountStreams: readonly AccountStream[];
  /** A's and C's AccountPlaced (position 0 of their account streams, which `accountStreams` leave out). */
  readonly placements: readonly EventEnvelope[];
  /** Every event of both kinds of stream, and the placements, in the order they happened. */
  readonly events: readonly EventEnvelope[];
  readonly a: Case;
  readonly b: Case;
  readonly c: Case;
  readonly d: Case;
  /** The promises by name (see `realisticPromises`). */
  readonly p: Readonly<Record<'p0' | 'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'p6' | 'p7' | 'p8', string>>;
}

/**
 * Four cases worked by two collectors, mostly in April 2026:
 * - A (USD), 1-30 days and medium risk from 1 April; high risk from 15 April, 31-90 days from 20 April; a flag set on
 *   18 April (an account event the read model ignores). p1 (collector-7, $150 on 2 April, due 10 April) paid $50 then
 *   $100: kept. p2 (collector-9, $200 on 16 April, due 30 April, by SMS) $100 paid: open.
 * - B (EUR), 31-90 days and high risk since March; medium risk from 18 April. p3 (collector-7, €300 on 3 April, due
 *   9 April) €100 paid, broken on 13 April. p4 (collector-7, €250 on 14 April) cancelled on 16 April for a payment plan.
 *   p5 (collector-7, €250 on 17 April, due 28 April): open.
 * - C (USD), no bucket or tier known. p6 (collector-9, $80 on 5 April, due 12 April, no grace) kept. p7 (collector-9,
 *   $120 on 20 April, due 27 April, no grace): open, past its due date and not broken yet.
 * - D (USD), 90+ days and low risk since March. p0 (collector-7, $100 on 25 March, due 31 March) broken on 4 April,
 *   nothing paid. p8 (collector-9, $500 on 22 April, due 28 April): open.
 * A was placed by Acme (a credit card, the debtor in Illinois), C by Globex (telecom, the debtor in California); B's
 * and D's placements are not given.
 */
export function realisticPromises(): RealisticPromises {
  const history = new History();
  const make = (): Case => {
    const accountId = randomUUID();
    return { accountId, promises: new PromiseStream(accountId, history), account: new AccountStream(accountId, history) };
  };
  const [a, b, c, d] = [make(), make(), make(), make()];

  d.account.agingBucket('90+', 95, '2026-03-01T05:00:00.000Z');
  d.account.riskTier('low', 20, '2026-03-01T05:00:01.000Z');
  b.account.skip(2).agingBucket('31-90', 40, '2026-03-20T05:00:00.000Z');
  b.account.riskTier('high', 80, '2026-03-20T05:00:01.000Z');
  const p0 = d.promises.record({ amount: 10_000, madeOn: '2026-03-25', dueDate: '2026-03-31' });
  a.account.skip(3).agingBucket('1-30', 12, '2026-04-01T05:00:00.000Z');
  a.account.riskTier('medium', 55, '2026-04-01T05:00:01.000Z');
  const p1 = a.promises.record({ amount: 15_000, madeOn: '2026-04-02', dueDate: '2026-04-10', at: '2026-04-02T14:30:00.000Z' });
  const p3 = b.promises.record({ amount: 30_000, currency: 'EUR', madeOn: '2026-04-03', dueDate: '2026-04-09', at: '2026-04-03T09:15:00.000Z' });
  d.promises.breakOff(p0);
  const p6 = c.promises.record({ operatorId: 'collector-9', amount: 8_000, madeOn: '2026-04-05', dueDate: '2026-04-12', graceDays: 0, channel: 'portal' });
  a.promises.pay(p1, 5_000, '2026-04-08T12:00:00.000Z');
  b.promises.pay(p3, 10_000, '2026-04-09T16:00:00.000Z');
  a.promises.pay(p1, 10_000, '2026-04-10T12:00:00.000Z');
  c.promises.pay(p6, 8_000, '2026-04-12T09:00:00.000Z');
  b.promises.breakOff(p3);
  const p4 = b.promises.record({ amount: 25_000, currency: 'EUR', madeOn: '2026-04-14', dueDate: '2026-04-21' });
  a.account.skip().riskTier('high', 78, '2026-04-15T05:00:00.000Z');
  b.promises.cancel(p4, 'Replaced by a payment plan', '2026-04-16T10:00:00.000Z');
  const p2 = a.promises.record({ operatorId: 'collector-9', amount: 20_000, madeOn: '2026-04-16', dueDate: '2026-04-30', channel: 'sms' });
  const p5 = b.promises.record({ amount: 25_000, currency: 'EUR', madeOn: '2026-04-17', dueDate: '2026-04-28' });
  a.account.append('AccountFlagged', { flag: 'vulnerable', reason: 'Told the collector of a bereavement' }, '2026-04-18T11:00:00.000Z');
  b.account.skip(2).riskTier('medium', 60, '2026-04-18T05:00:00.000Z');
  a.account.agingBucket('31-90', 31, '2026-04-20T05:00:00.000Z');
  const p7 = c.promises.record({ operatorId: 'collector-9', amount: 12_000, madeOn: '2026-04-20', dueDate: '2026-04-27', graceDays: 0 });
  const p8 = d.promises.record({ operatorId: 'collector-9', amount: 50_000, madeOn: '2026-04-22', dueDate: '2026-04-28', channel: 'visit' });
  a.promises.pay(p2, 10_000, '2026-04-25T13:00:00.000Z');

  const promiseStreams = [a, b, c, d].map((one) => one.promises);
  const accountStreams = [a, b, c, d].map((one) => one.account);
  const placements = [placement(history, a.accountId, 'acme', 'credit-card', 'US-IL'), placement(history, c.accountId, 'globex', 'telecom', 'US-CA')];
  return {
    promiseStreams,
    accountStreams,
    placements,
    events: inTimeOrder([{ events: placements }, ...promiseStreams, ...accountStreams]),
    a,
    b,
    c,
    d,
    p: { p0, p1, p2, p3, p4, p5, p6, p7, p8 },
  };
}

/** An AccountPlaced, stored at position 0 of the account's stream on 1 March 2026. */
export function placement(history: History, accountId: string, creditorId: string, product: string, jurisdiction: string): EventEnvelope {
  const placed = accountPlaced(accountId, { jurisdiction });
  const event = { ...placed, occurredAt: '2026-03-01T00:00:00.000Z', data: { ...placed.data, creditor: { creditorId, name: creditorId }, product } };
  return history.store(event, `account-${accountId}`, 0);
}
