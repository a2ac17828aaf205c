import { randomUUID } from 'node:crypto';
import { ArrearsError, ERASED, ErrorCode } from '@arrears/contracts';
import { describeProjectionReplays } from '@arrears/read-models/src/testing/replay-suite';
import { freshReadModels } from '@arrears/read-models/src/testing/test-read-model';
import { rejection } from '@arrears/testing';
import { AccountStream, DEBTOR, FakeVault, placedAccount, realisticHistory } from './testing/account-history';
import { CONSUMER, createTestReadModel, feed, type TestReadModel } from './testing/read-model';

describe('AccountsProjection', () => {
  const readModel = freshReadModels(createTestReadModel);

  /** Plaintext of the fixture's debtor that no read-model column may ever hold, erased or not. */
  const PLAINTEXT = [
    DEBTOR.name,
    'Marisol',
    'Okonkwo',
    DEBTOR.phone,
    '13125550147',
    '3125550147',
    '555-0147',
    '13125550163',
    '13125550199',
    DEBTOR.email,
    DEBTOR.newEmail,
    'okonkwo',
    DEBTOR.nationalId,
    '123456789',
    '1200 W Maple St',
    '62704',
    // The ciphertexts stay in the event store.
    'pii:v1:',
  ];
  /** After erasure not even the masked forms may remain. */
  const MASKED = ['M. O.', '0147', '0199', '6789', 'm•••@', 'Springfield'];

  const hitsOf = async (model: TestReadModel, needles: readonly string[]) =>
    (await Promise.all(needles.map(async (needle) => (await model.columnsContaining(needle)).map((column) => `${needle} in ${column}`)))).flat();

  it('projects a realistic history into the summary and the activity', async () => {
    const model = await readModel();
    const vault = new FakeVault();
    const { stream, debtorId } = realisticHistory(vault);
    const projection = model.projection(vault);
    const accountId = stream.accountId;

    // Midway: dispute and breathing space both active, the first contact details, 31-90 / medium.
    await feed(projection, stream.events.slice(0, 8));
    const midway = await model.queries.detail(accountId);
    expect(midway.summary).toMatchObject({
      principal: 244_750,
      fees: 0,
      interest: 0,
      total: 244_750,
      interestFrozen: true,
      agingBucket: '31-90',
      daysPastDue: 36,
      riskTier: 'medium',
      riskScore: 52,
      activeFlags: ['dispute', 'breathing-space'],
      flagDetails: { dispute: { since: '2026-03-12T14:05:00.000Z' }, 'breathing-space': { since: '2026-03-31T10:00:00.000Z', endsOn: '2026-05-30' } },
      maskedPhone: '•••• 0147',
      maskedEmail: 'm•••@example.com',
      status: 'open',
      version: 7,
    });

    await feed(projection, stream.events.slice(8));
    const { summary, activity } = await model.queries.detail(accountId);
    expect(summary).toEqual({
      accountId,
      creditorId: 'northwind-bank',
      creditorName: 'Northwind Bank',
      creditorReference: 'NWB-CC-88231',
      product: 'credit-card',
      currency: 'USD',
      principal: 200_000,
      fees: 0,
      interest: 0,
      total: 200_000,
      credit: 0,
      interestFrozen: true,
      dueDate: '2026-01-15',
      daysPastDue: 95,
      daysPastDueAsOf: '2026-04-20',
      agingBucket: '90+',
      riskTier: 'high',
      riskScore: 81,
      activeFlags: [],
      flagDetails: {},
      status: 'closed',
      closeReason: 'settled',
      closedAt: '2026-06-30T16:00:00.000Z',
      debtorId,
      maskedName: 'M. O.',
      maskedPhone: '•••• 0199',
      maskedEmail: 'm•••@example.org',
      maskedNationalId: '•••• 6789',
      maskedAddress: 'Springfield, US',
      erased: false,
      jurisdiction: 'US-IL',
      timeZone: 'America/Chicago',
      language: 'es-US',
      placedAt: '2026-02-20T15:04:05.000Z',
      lastPaymentOn: '2026-05-02',
      lastPaymentAmount: 44_750,
      brokenPromises: 2,
      updatedAt: '2026-06-30T16:00:00.000Z',
      version: 16,
    });

    const byEvent = (position: number) => stream.events[position]?.eventId;
    expect(activity).toEqual([
      expect.objectContaining({
        eventId: byEvent(3),
        streamPosition: 3,
        kind: 'adjustment',
        adjustmentKind: 'fee-waiver',
        amount: 1_500,
        currency: 'USD',
        approvedBy: 'supervisor-3',
        feesAfter: 2_000,
        totalAfter: 264_750,
        paymentReference: null,
      }),
      expect.objectContaining({
        eventId: byEvent(4),
        streamPosition: 4,
        kind: 'payment',
        amount: 20_000,
        paymentReference: 'ACH-2026-03-10-7731',
        receivedOn: '2026-03-10',
        channel: 'ach',
        allocation: { fees: 2_000, interest: 12_750, principal: 5_250, credit: 0 },
        principalAfter: 244_750,
        totalAfter: 244_750,
        creditAfter: 0,
        occurredAt: '2026-03-10T09:12:44.000Z',
      }),
      expect.objectContaining({ streamPosition: 6, kind: 'adjustment', adjustmentKind: 'interest-freeze', amount: 0, totalAfter: 244_750 }),
      expect.objectContaining({ streamPosition: 13, kind: 'payment', amount: 44_750, paymentReference: 'CARD-2026-05-02-0093', totalAfter: 200_000 }),
    ]);

    // Masked only: no plaintext and no ciphertext anywhere.
    expect(await hitsOf(model, PLAINTEXT)).toEqual([]);
  });

  it('does not even decrypt the events a replay under another consumer name skips', async () => {
    const vault = new FakeVault();
    const { stream } = realisticHistory(vault);
    const model = await readModel();
    await feed(model.projection(vault), stream.events);
    const expected = await model.snapshot();
    const revealsBefore = vault.reveals;

    await feed(model.projection(vault, 'accounts__read-models-v2'), stream.events);
    expect(await model.snapshot()).toEqual(expected);
    expect(vault.reveals).toBe(revealsBefore);
  });

  it('refuses an event whose predecessor is not applied yet, keeps no record of it, and applies it after', async () => {
    const vault = new FakeVault();
    const { stream } = realisticHistory(vault);
    const model = await readModel();
    const projection = model.projection(vault);
    await feed(projection, stream.events.slice(0, 4));

    const early = stream.events[5]!;
    const error = await rejection(projection.handle(early));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 4, actual: 5 } });
    expect(await model.processed()).not.toContain(early.eventId);

    await projection.handle(stream.events[4]!);
    await projection.handle(early);
    expect((await model.queries.detail(stream.accountId)).summary).toMatchObject({ version: 5, activeFlags: ['dispute'] });

    // An event of an account never placed is refused the same way.
    const orphan = new AccountStream();
    orphan.events.push({ ...stream.events[4]!, eventId: randomUUID(), streamId: `account-${orphan.accountId}`, data: { ...stream.events[4]!.data, accountId: orphan.accountId } });
    expect(await rejection(projection.handle(orphan.events[0]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 0 } });
  });

  it('after DebtorDataErased no column holds the debtor’s data, nor after a replay into a fresh schema', async () => {
    const vault = new FakeVault();
    const { stream, debtorId, eraseDebtor } = realisticHistory(vault);
    const model = await readModel();
    const projection = model.projection(vault);
    await feed(projection, stream.events);
    expect(await hitsOf(model, MASKED)).not.toEqual([]); // the scan does find what is there

    // The command deletes the key, then records the erasure.
    vault.erase(debtorId);
    await projection.handle(eraseDebtor());
    expect(await hitsOf(model, [...PLAINTEXT, ...MASKED])).toEqual([]);
    const { summary } = await model.queries.detail(stream.accountId);
    expect(summary).toMatchObject({ erased: true, maskedName: ERASED, maskedPhone: ERASED, maskedEmail: ERASED, maskedNationalId: ERASED, maskedAddress: ERASED });

    // Replaying the whole history, the vault reads every field as erased: the same rows, nothing personal.
    const rebuilt = await readModel();
    await feed(rebuilt.projection(vault), stream.events);
    expect(await hitsOf(rebuilt, [...PLAINTEXT, ...MASKED])).toEqual([]);
    expect(await rebuilt.snapshot()).toEqual(await model.snapshot());

    // Details written after the erasure are not even opened, whatever the vault would say.
    const leaky = new FakeVault();
    stream.append(
      'ContactDetailsUpdated',
      { debtorId, phones: [{ number: leaky.seal(debtorId, 'phone', DEBTOR.phone), kind: 'mobile' }], emails: [], timeZone: 'America/Chicago', language: 'en-US' },
      '2026-09-02T08:00:00.000Z',
    );
    await model.projection(leaky).handle(stream.events.at(-1)!);
    expect(leaky.reveals).toBe(0);
    expect(await hitsOf(model, [...PLAINTEXT, ...MASKED])).toEqual([]);
    expect((await model.queries.detail(stream.accountId)).summary).toMatchObject({ maskedPhone: ERASED, language: 'en-US' });
  });

  it('erasure reaches every account of the debtor, and a replay agrees', async () => {
    const vault = new FakeVault();
    const { stream, debtorId, eraseDebtor } = realisticHistory(vault);
    const sameDebtor = { debtorId, name: DEBTOR.name, phone: DEBTOR.phone };
    const other = placedAccount(vault, { placedAt: '2026-05-10T10:00:00.000Z', balance: { principal: 48_000, fees: 0, interest: 0 }, bucket: '1-30', tier: 'low', debtor: sameDebtor });
    const history = [...stream.events, ...other.events];
    const model = await readModel();
    const projection = model.projection(vault);
    await feed(projection, history);
    expect((await model.queries.detail(other.accountId)).summary).toMatchObject({ maskedName: 'M. O.', maskedPhone: '•••• 0147' });

    vault.erase(debtorId);
    const erasure = eraseDebtor();
    await projection.handle(erasure);
    expect(await hitsOf(model, [...PLAINTEXT, ...MASKED])).toEqual([]);
    // Its personal columns only: the other account's own stream has not moved.
    expect((await model.queries.detail(other.accountId)).summary).toMatchObject({ erased: true, maskedName: ERASED, maskedPhone: ERASED, maskedEmail: null, version: 2 });

    const rebuilt = await readModel();
    await feed(rebuilt.projection(vault), [...history, erasure]);
    expect(await rebuilt.snapshot()).toEqual(await model.snapshot());

    // An account of theirs placed after the erasure: the vault reads it as erased, and so does the row.
    const later = placedAccount(vault, { placedAt: '2026-10-01T10:00:00.000Z', balance: { principal: 9_000, fees: 0, interest: 0 }, debtor: sameDebtor });
    await feed(projection, later.events);
    expect((await model.queries.detail(later.accountId)).summary).toMatchObject({ erased: true, maskedName: ERASED, maskedPhone: ERASED, version: 0 });
  });

  it('refuses an event on the wrong stream and a payment in another currency, changing nothing', async () => {
    const vault = new FakeVault();
    const { stream } = realisticHistory(vault);
    const model = await readModel();
    const projection = model.projection(vault);
    await feed(projection, stream.events.slice(0, 4));
    const before = await model.snapshot();

    const misplaced = { ...stream.events[4]!, streamId: 'account-00000000-0000-4000-8000-000000000000' };
    expect(await rejection(projection.handle(misplaced))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });

    const payment = stream.events[4]!;
    const inEuros = { ...payment, data: { ...payment.data, amount: { minor: 20_000, currency: 'EUR' } } };
    expect(await rejection(projection.handle(inEuros))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.amount.currency' });
    expect(await model.snapshot()).toEqual(before);
  });
});

// Fed again, replayed, rebuilt or duplicated, the projection writes the rows it wrote once.
describeProjectionReplays({
  name: 'AccountsProjection',
  consumer: CONSUMER,
  history: () => {
    const vault = new FakeVault();
    const { stream } = realisticHistory(vault);
    return { vault, stream, events: stream.events };
  },
  readModel: async ({ vault }) => {
    const model = await createTestReadModel();
    return { ...model, projection: (consumer?: string) => model.projection(vault, consumer) };
  },
  later: ({ stream }) => [stream.append('BrokenPromiseNoted', { promiseId: randomUUID(), dueDate: '2026-07-10' }, '2026-07-13T06:00:00.000Z')],
});
