import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { ContactStream, realisticContacts, type RealisticContacts } from './testing/contact-history';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';

describe('ContactQueries', () => {
  let model: TestReadModel;
  let world: RealisticContacts;
  /** Three contacts of one case intended at the same instant: the contact id breaks the tie. */
  const tied = { accountId: randomUUID(), contacts: [] as string[] };

  beforeAll(async () => {
    model = await createTestReadModel('contact_queries');
    world = realisticContacts();
    const stream = new ContactStream();
    for (const channel of ['call', 'sms', 'email'] as const) {
      tied.contacts.push(stream.allow({ accountId: tied.accountId, intendedAt: '2026-05-04T15:00:00.000Z', channel, operatorId: 'collector-tie' }));
    }
    await feed(model.projection(), [...world.events, ...stream.events]);
  });

  afterAll(async () => {
    await model.drop();
  });

  it('pages a case’s history newest first, by keyset, across a tie', async () => {
    const first = await model.queries.history({ accountId: world.a.accountId, limit: 3 });
    const second = await model.queries.history({ accountId: world.a.accountId, limit: 3, after: first.nextAfter! });
    const third = await model.queries.history({ accountId: world.a.accountId, limit: 3, after: second.nextAfter! });
    expect([first, second, third].map((page) => page.rows.length)).toEqual([3, 3, 1]);
    expect(third.nextAfter).toBeNull();
    expect([...first.rows, ...second.rows, ...third.rows].map((row) => row.contactId)).toEqual([...world.a.contacts].reverse());

    const byId = [...tied.contacts].sort().reverse();
    const head = await model.queries.history({ accountId: tied.accountId, limit: 2 });
    const tail = await model.queries.history({ accountId: tied.accountId, limit: 2, after: head.nextAfter! });
    expect([...head.rows, ...tail.rows].map((row) => row.contactId)).toEqual(byId);
    expect(tail.nextAfter).toBeNull();

    // Another case's contact as `after` does not leak into this one's paging.
    expect((await model.queries.history({ accountId: world.a.accountId, after: world.b.contacts[0]! })).rows).toEqual([]);
    expect((await model.queries.history({ accountId: randomUUID() })).rows).toEqual([]);
  });

  it('gives collector days by UTC day from the tallies, and by a local day recounted from the history', async () => {
    expect(await model.queries.collectorDays({ from: '2026-04-14', to: '2026-04-15', operatorId: 'collector-9' })).toEqual([
      { operatorId: 'collector-9', day: '2026-04-15', attempts: 0, blocked: 1, rightPartyContacts: 0, conversations: 0, promisesOffered: 0 },
    ]);
    // 02:30 UTC on the 15th was 21:30 on the 14th in Chicago.
    expect(await model.queries.collectorDays({ from: '2026-04-14', to: '2026-04-15', operatorId: 'collector-9', timeZone: 'America/Chicago' })).toEqual([
      { operatorId: 'collector-9', day: '2026-04-14', attempts: 0, blocked: 1, rightPartyContacts: 0, conversations: 0, promisesOffered: 0 },
    ]);
    // Shanghai's 8 April ran from 16:00 UTC on the 7th: A's contacts at 15:10 and 15:12 UTC on the 7th fall on its 7th.
    expect(await model.queries.collectorDays({ from: '2026-04-08', to: '2026-04-08', timeZone: 'Asia/Shanghai' })).toEqual([
      { operatorId: 'collector-cn-1', day: '2026-04-08', attempts: 3, blocked: 1, rightPartyContacts: 2, conversations: 2, promisesOffered: 0 },
    ]);
    // Every day of every collector agrees with a recount in UTC.
    const all = { from: '2026-01-01', to: '2026-12-31' };
    expect(await model.queries.collectorDays({ ...all, timeZone: 'UTC' })).toEqual(await model.queries.collectorDays(all));
  });

  it('gives the right-party-contact rate overall and per collector', async () => {
    expect(await model.queries.rightPartyRates()).toEqual({
      overall: { allowedCalls: 11, rightPartyContacts: 6, rate: 6 / 11 },
      byCollector: [
        { operatorId: 'collector-7', allowedCalls: 4, rightPartyContacts: 3, rate: 0.75 },
        { operatorId: 'collector-9', allowedCalls: 3, rightPartyContacts: 1, rate: 1 / 3 },
        { operatorId: 'collector-cn-1', allowedCalls: 3, rightPartyContacts: 2, rate: 2 / 3 },
        // Allowed, no outcome yet: an attempt that reached nobody.
        { operatorId: 'collector-tie', allowedCalls: 1, rightPartyContacts: 0, rate: 0 },
      ],
    });
    expect(await model.queries.rightPartyRates({ from: '2026-04-01', to: '2026-04-30', jurisdiction: 'US' })).toEqual({
      overall: { allowedCalls: 6, rightPartyContacts: 3, rate: 0.5 },
      byCollector: [
        { operatorId: 'collector-7', allowedCalls: 4, rightPartyContacts: 3, rate: 0.75 },
        { operatorId: 'collector-9', allowedCalls: 2, rightPartyContacts: 0, rate: 0 },
      ],
    });
    expect((await model.queries.rightPartyRates({ jurisdiction: 'CN' })).overall).toEqual({ allowedCalls: 3, rightPartyContacts: 2, rate: 2 / 3 });
    expect((await model.queries.rightPartyRates({ channel: 'sms', to: '2026-04-30' })).byCollector).toEqual([{ operatorId: 'collector-9', allowedCalls: 1, rightPartyContacts: 0, rate: 0 }]);
    expect(await model.queries.rightPartyRates({ from: '2027-01-01' })).toEqual({ overall: { allowedCalls: 0, rightPartyContacts: 0, rate: null }, byCollector: [] });
  });

  it('gives attempts, connects and right-party contacts by the debtor’s local hour', async () => {
    const { hours, withoutLocalTime } = await model.queries.contactRateByHour({ from: '2026-04-01', to: '2026-04-30' });
    expect(withoutLocalTime).toBe(0);
    expect(hours).toHaveLength(24);
    expect(hours.map((hour) => hour.hour)).toEqual(Array.from({ length: 24 }, (_, hour) => hour));
    const hour = (h: number, attempts: number, connects: number, rightPartyContacts: number) => ({
      hour: h,
      attempts,
      connects,
      rightPartyContacts,
      connectRate: attempts === 0 ? null : connects / attempts,
      rightPartyRate: attempts === 0 ? null : rightPartyContacts / attempts,
    });
    // Chicago 09:30 no answer, 14:05 reached, 15:15 promise; New York 13:00 voicemail, 12:00 third party, 12:30
    // reached; Shanghai 09:00 reached, 11:00 refused, 14:00 third party.
    const busy: Record<number, ReturnType<typeof hour>> = { 9: hour(9, 2, 1, 1), 11: hour(11, 1, 1, 1), 12: hour(12, 2, 2, 1), 13: hour(13, 1, 0, 0), 14: hour(14, 2, 2, 1), 15: hour(15, 1, 1, 1) };
    expect(hours).toEqual(Array.from({ length: 24 }, (_, h) => busy[h] ?? hour(h, 0, 0, 0)));

    const cn = await model.queries.contactRateByHour({ operatorId: 'collector-cn-1' });
    expect(cn.hours.filter((h) => h.attempts > 0)).toEqual([hour(9, 1, 1, 1), hour(11, 1, 1, 1), hour(14, 1, 1, 0)]);
  });

  it('finds the best hour to call each debtor: most right-party contacts, ties to the more recent, or none', async () => {
    const unknown = randomUUID();
    expect(await model.queries.bestTimesToCall({ debtorIds: [world.a.debtorId, world.b.debtorId, world.c.debtorId, unknown] })).toEqual([
      // 14:20 in March and 14:05 in April outweigh the later 15:15.
      { debtorId: world.a.debtorId, hour: 14, timeZone: 'America/Chicago', rightPartyContacts: 2, lastRightPartyContactAt: '2026-04-06T19:05:00.000Z' },
      { debtorId: world.b.debtorId, hour: 12, timeZone: 'America/New_York', rightPartyContacts: 1, lastRightPartyContactAt: '2026-04-10T16:30:00.000Z' },
      // 09:00 and 11:00 once each: the later one.
      { debtorId: world.c.debtorId, hour: 11, timeZone: 'Asia/Shanghai', rightPartyContacts: 1, lastRightPartyContactAt: '2026-04-08T03:00:00.000Z' },
      { debtorId: unknown, hour: null, timeZone: null, rightPartyContacts: 0, lastRightPartyContactAt: null },
    ]);
    expect(await model.queries.bestTimeToCall(world.c.debtorId)).toMatchObject({ hour: 11 });
  });

  it('refuses bad input with VALIDATION_FAILED naming the field', async () => {
    // Thunks: each query starts only when its turn comes.
    const cases: [() => Promise<unknown>, string][] = [
      [() => model.queries.history({ accountId: 'not-a-uuid' }), 'accountId'],
      [() => model.queries.history({ accountId: randomUUID(), limit: 500 }), 'limit'],
      [() => model.queries.history({ accountId: randomUUID(), before: 'x' } as never), 'before'],
      [() => model.queries.collectorDays({ from: '2026-04-30', to: '2026-04-01' }), 'to'],
      [() => model.queries.collectorDays({ from: '2026-04-01', to: '2026-04-31' }), 'to'],
      [() => model.queries.collectorDays({ from: '2026-04-01', to: '2026-04-30', timeZone: 'Mars/Olympus_Mons' }), 'timeZone'],
      [() => model.queries.complianceReport({ from: '2026-04-01' } as never), 'to'],
      [() => model.queries.complianceReport({ from: '2026-04-01', to: '2026-04-30', jurisdiction: 'usa' }), 'jurisdiction'],
      [() => model.queries.complianceReport({ from: '2026-04-01', to: '2026-04-30', contactWindows: { US: { from: '21:00', to: '08:00' } } }), 'contactWindows.US.to'],
      [() => model.queries.complianceReport({ from: '2026-04-01', to: '2026-04-30', contactWindows: { US: { from: '8:00', to: '21:00' } } }), 'contactWindows.US.from'],
      [() => model.queries.complianceReport({ from: '2026-04-01', to: '2026-04-30', callsPerAccountPer7Days: { US: 0 } }), 'callsPerAccountPer7Days.US'],
      [() => model.queries.complianceReport({ from: '2026-04-01', to: '2026-04-30', quietHoursChannels: ['fax'] } as never), 'quietHoursChannels[0]'],
      [() => model.queries.rightPartyRates({ channel: 'fax' } as never), 'channel'],
      [() => model.queries.contactRateByHour({ from: '2026-05-01', to: '2026-04-01' }), 'to'],
      [() => model.queries.bestTimesToCall({ debtorIds: [] }), 'debtorIds'],
      [() => model.queries.bestTimesToCall({ debtorIds: [randomUUID(), 'nope'] }), 'debtorIds[1]'],
      [() => model.queries.bestTimeToCall('nope'), 'debtorId'],
    ];
    for (const [query, field] of cases) {
      const error = await rejection(query());
      expect(error).toBeInstanceOf(ArrearsError);
      expect({ code: (error as ArrearsError).code, field: (error as ArrearsError).field }).toEqual({ code: ErrorCode.VALIDATION_FAILED, field });
    }
  });
});
