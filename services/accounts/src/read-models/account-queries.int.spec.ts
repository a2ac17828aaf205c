import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import type { AccountListFilter } from './query-filters';
import { FakeVault, placedAccount, type PlacementOptions } from './testing/account-history';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';

describe('AccountQueries', () => {
  let model: TestReadModel;
  const ids: Record<string, string> = {};

  const northwind = { creditorId: 'northwind-bank', name: 'Northwind Bank' };
  const contoso = { creditorId: 'contoso-telecom', name: 'Contoso Telecom' };
  const usd = (principal: number, fees = 0, interest = 0) => ({ principal, fees, interest });

  /** Seven accounts, newest placement last; B and G are placed at the same instant (the id breaks the tie). */
  const ACCOUNTS: Record<string, PlacementOptions> = {
    A: { placedAt: '2026-03-01T09:00:00.000Z', creditor: northwind, balance: usd(100_000, 5_000, 15_000), bucket: '1-30', tier: 'low' },
    B: { placedAt: '2026-03-02T09:00:00.000Z', creditor: northwind, balance: usd(500_000, 20_000, 40_000), bucket: '31-90', tier: 'high', flags: ['dispute'] },
    G: { placedAt: '2026-03-02T09:00:00.000Z', creditor: northwind, balance: usd(99_000), bucket: '31-90', tier: 'high', flags: ['dispute', 'vulnerable'] },
    C: { placedAt: '2026-03-03T09:00:00.000Z', creditor: contoso, balance: usd(8_900), bucket: '90+', tier: 'high', flags: ['cease-communication'] },
    D: { placedAt: '2026-03-04T09:00:00.000Z', creditor: contoso, currency: 'EUR', balance: usd(75_000), bucket: '31-90', tier: 'high' },
    E: { placedAt: '2026-03-05T09:00:00.000Z', creditor: northwind, currency: 'JPY', balance: usd(300_000), bucket: '90+', tier: 'medium', flags: ['breathing-space'] },
    F: { placedAt: '2026-03-06T09:00:00.000Z', creditor: northwind, balance: usd(45_000), bucket: '31-90', tier: 'high', closed: 'written-off' },
    // Placed and not yet reviewed: no bucket, no tier.
    H: { placedAt: '2026-03-07T09:00:00.000Z', creditor: contoso, balance: usd(12_000) },
  };

  beforeAll(async () => {
    model = await createTestReadModel('accounts_queries');
    const vault = new FakeVault();
    const projection = model.projection(vault);
    for (const [name, options] of Object.entries(ACCOUNTS)) {
      const stream = placedAccount(vault, options);
      ids[name] = stream.accountId;
      await feed(projection, stream.events);
    }
  });

  afterAll(async () => {
    await model.drop();
  });

  const namesOf = (rows: readonly { accountId: string }[]) => rows.map((row) => Object.keys(ids).find((name) => ids[name] === row.accountId));
  const listed = async (filter: AccountListFilter) => {
    const page = await model.queries.list(filter);
    return { names: namesOf(page.rows).sort(), total: page.total };
  };

  it('lists newest placement first, 50 to a page by default, with the total', async () => {
    const page = await model.queries.list();
    expect(page.total).toBe(8);
    expect(page.nextAfter).toBeNull();
    const tie = [ids['B']!, ids['G']!].sort().reverse().map((id) => Object.keys(ids).find((name) => ids[name] === id));
    expect(namesOf(page.rows)).toEqual(['H', 'F', 'E', 'D', 'C', ...tie, 'A']);
    expect(page.rows.find((row) => row.accountId === ids['A'])).toMatchObject({ total: 120_000, currency: 'USD', status: 'open', agingBucket: '1-30', riskTier: 'low' });
  });

  it('pages by keyset: every row once, across the tie, with the same total on every page', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof model.queries.list>> = await model.queries.list({ limit: 3, ...(after === undefined ? {} : { after }) });
      expect(page.total).toBe(8);
      expect(page.rows.length).toBeLessThanOrEqual(3);
      seen.push(...page.rows.map((row) => row.accountId));
      after = page.nextAfter ?? undefined;
      pages += 1;
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual((await model.queries.list()).rows.map((row) => row.accountId));

    // A filtered listing pages the same way; its total counts the filtered rows only.
    const first = await model.queries.list({ riskTier: 'high', limit: 2 });
    expect(first.total).toBe(5);
    const second = await model.queries.list({ riskTier: 'high', limit: 2, after: first.nextAfter! });
    expect(new Set([...first.rows, ...second.rows].map((row) => row.accountId)).size).toBe(4);
  });

  it('filters by aging bucket, risk tier, flag, creditor, status and balance range, alone and together', async () => {
    expect(await listed({ agingBucket: '31-90' })).toEqual({ names: ['B', 'D', 'F', 'G'], total: 4 });
    expect(await listed({ riskTier: 'medium' })).toEqual({ names: ['E'], total: 1 });
    expect(await listed({ flag: 'dispute' })).toEqual({ names: ['B', 'G'], total: 2 });
    expect(await listed({ flag: 'vulnerable' })).toEqual({ names: ['G'], total: 1 });
    expect(await listed({ creditorId: 'contoso-telecom' })).toEqual({ names: ['C', 'D', 'H'], total: 3 });
    expect(await listed({ status: 'closed' })).toEqual({ names: ['F'], total: 1 });
    expect(await listed({ currency: 'USD', minTotal: 45_000, maxTotal: 120_000 })).toEqual({ names: ['A', 'F', 'G'], total: 3 });
    expect(await listed({ currency: 'USD', minTotal: 500_000 })).toEqual({ names: ['B'], total: 1 });
    expect(await listed({ agingBucket: '31-90', riskTier: 'high', status: 'open', creditorId: 'northwind-bank', currency: 'USD', maxTotal: 100_000 })).toEqual({ names: ['G'], total: 1 });
    expect(await listed({ flag: 'bankruptcy' })).toEqual({ names: [], total: 0 });
  });

  it('summarises open accounts by aging bucket × risk tier, per currency, never adding currencies together', async () => {
    const summary = await model.queries.portfolioSummary();
    const totals = (accounts: number, principal: number, fees: number, interest: number) => ({ accounts, principal, fees, interest, total: principal + fees + interest, credit: 0 });
    expect(summary.groups).toEqual([
      { currency: 'EUR', agingBucket: '31-90', riskTier: 'high', ...totals(1, 75_000, 0, 0) },
      { currency: 'JPY', agingBucket: '90+', riskTier: 'medium', ...totals(1, 300_000, 0, 0) },
      { currency: 'USD', agingBucket: null, riskTier: null, ...totals(1, 12_000, 0, 0) },
      { currency: 'USD', agingBucket: '1-30', riskTier: 'low', ...totals(1, 100_000, 5_000, 15_000) },
      // B and G; F is closed and not in the portfolio; D is the same cell in euros, kept apart.
      { currency: 'USD', agingBucket: '31-90', riskTier: 'high', ...totals(2, 599_000, 20_000, 40_000) },
      { currency: 'USD', agingBucket: '90+', riskTier: 'high', ...totals(1, 8_900, 0, 0) },
    ]);
    expect(summary.currencies).toEqual([
      { currency: 'EUR', ...totals(1, 75_000, 0, 0) },
      { currency: 'JPY', ...totals(1, 300_000, 0, 0) },
      { currency: 'USD', ...totals(5, 719_900, 25_000, 55_000) },
    ]);

    expect((await model.queries.portfolioSummary({ creditorId: 'contoso-telecom' })).currencies).toEqual([
      { currency: 'EUR', ...totals(1, 75_000, 0, 0) },
      { currency: 'USD', ...totals(2, 20_900, 0, 0) },
    ]);
    expect((await model.queries.portfolioSummary({ currency: 'JPY' })).groups).toEqual([{ currency: 'JPY', agingBucket: '90+', riskTier: 'medium', ...totals(1, 300_000, 0, 0) }]);
    expect((await model.queries.portfolioSummary({ status: 'closed' })).groups).toEqual([{ currency: 'USD', agingBucket: '31-90', riskTier: 'high', ...totals(1, 45_000, 0, 0) }]);
    expect(await model.queries.portfolioSummary({ currency: 'GBP' })).toEqual({ groups: [], currencies: [] });
  });

  it('gives the detail of an account, and NOT_FOUND for one it does not have', async () => {
    const detail = await model.queries.detail(ids['F']!);
    expect(detail.summary).toMatchObject({ accountId: ids['F'], status: 'closed', closeReason: 'written-off', closedAt: '2026-03-06T09:00:00.000Z' });
    expect(detail.activity).toEqual([]);

    const missing = randomUUID();
    const error = await rejection(model.queries.detail(missing));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'accountId' });
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['a page over 200', () => model.queries.list({ limit: 201 }), 'limit'],
    ['a page of none', () => model.queries.list({ limit: 0 }), 'limit'],
    ['an unknown aging bucket', () => model.queries.list({ agingBucket: '120+' as never }), 'agingBucket'],
    ['an unknown risk tier', () => model.queries.list({ riskTier: 'extreme' as never }), 'riskTier'],
    ['an unknown flag', () => model.queries.list({ flag: 'fraud' as never }), 'flag'],
    ['an unknown status', () => model.queries.list({ status: 'pending' as never }), 'status'],
    ['a balance range without its currency', () => model.queries.list({ minTotal: 1_000 }), 'currency'],
    ['a maximum below the minimum', () => model.queries.list({ currency: 'USD', minTotal: 5_000, maxTotal: 1_000 }), 'maxTotal'],
    ['a fractional amount', () => model.queries.list({ currency: 'USD', minTotal: 10.5 }), 'minTotal'],
    ['a cursor that is not an account id', () => model.queries.list({ after: 'page-2' }), 'after'],
    ['a filter that does not exist', () => model.queries.list({ colour: 'red' } as never), 'colour'],
    ['an account id that is not a UUID', () => model.queries.detail('42'), 'accountId'],
    ['a currency that is not ISO 4217', () => model.queries.portfolioSummary({ currency: 'usd' }), 'currency'],
  ])('refuses %s with VALIDATION_FAILED naming the field', async (_case, query, field) => {
    const error = await rejection(query());
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field });
  });
});
