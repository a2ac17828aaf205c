import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { QueryClient, type QueryAsker } from '@arrears/messaging';
import { eventually, rejection } from '@arrears/testing';
import type { PortfolioSummary, RecoveryTrend } from './read-models';
import { AccountsWorld } from './testing/accounts-world';
import { plainPlacement } from './testing/plain-debtor';

/**
 * The accounts read models as the gateway asks them: queries over NATS (`<root>.qry.accounts.<Query>`) answered by the
 * running service, after accounts placed and paid over NATS were projected through the relay (every command's `now`,
 * and so every placement's day, is 2026-11-29).
 */
describe('account queries over NATS', () => {
  let world: AccountsWorld;
  let queries: QueryClient;
  const asker: QueryAsker = { actorId: 'supervisor-3', actorRole: 'supervisor' };
  const acme = randomUUID();
  const globex = randomUUID();
  const euro = randomUUID();
  const pounds = randomUUID();

  beforeAll(async () => {
    world = await AccountsWorld.start('accountsq');
    queries = new QueryClient({ connection: world.harness.nats, topology: world.harness.topology });
    // Placed owing 85,000 (acme) and 50,000 (globex) USD, and 85,000 EUR.
    await world.send('PlaceAccount', plainPlacement(acme, randomUUID()));
    await world.send('PlaceAccount', { ...plainPlacement(globex, randomUUID()), creditor: { creditorId: 'globex', name: 'Globex' }, principal: 45_000 });
    await world.send('PlaceAccount', { ...plainPlacement(euro, randomUUID()), currency: 'EUR' });
    // The only telecom account and the only debtor in California: 200.00 GBP, so the USD and EUR figures stay as they are.
    const telecom = plainPlacement(pounds, randomUUID());
    await world.send('PlaceAccount', { ...telecom, product: 'telecom', currency: 'GBP', principal: 20_000, fees: 0, interest: 0, debtor: { ...telecom.debtor, timeZone: 'America/Los_Angeles', jurisdiction: 'US-CA' } });
    // A waiver and a payment lower the balance; what was placed stays what it was.
    await world.send('AdjustBalance', { accountId: acme, kind: 'fee-waiver', amount: { minor: 1_000, currency: 'USD' }, reason: 'goodwill', approvedBy: 'supervisor-2' });
    await world.send('PostPayment', { accountId: acme, paymentReference: 'BANK-1', amount: { minor: 10_000, currency: 'USD' }, receivedOn: '2026-11-29', channel: 'card' });
    await eventually(async () => expect((await world.service.queries.detail(acme)).summary.total).toBe(74_000));
    await eventually(async () => expect((await world.service.queries.detail(euro)).summary.currency).toBe('EUR'));
    await eventually(async () => expect((await world.service.queries.detail(pounds)).summary.currency).toBe('GBP'));
  });

  afterAll(async () => {
    await world?.close();
  });

  const ask = <T>(query: string, params: Record<string, unknown>) => queries.ask<T>('accounts', query, params, asker);
  const refused = (query: string, params: Record<string, unknown>) => rejection(ask(query, params));

  it('answers the daily recovery trend in one currency, against the target', async () => {
    const trend = await ask<RecoveryTrend>('RecoveryTrend', { from: '2026-11-28', to: '2026-11-30', granularity: 'day', currency: 'USD' });
    expect(trend).toMatchObject({ from: '2026-11-28', to: '2026-11-30', granularity: 'day', currency: 'USD', creditorId: null, target: 0.15 });
    expect(trend.periods).toEqual([
      { period: '2026-11-28', start: '2026-11-28', end: '2026-11-28', collected: 0, collectedToDate: 0, placedToDate: 0, rate: null, cumulativeRate: null },
      { period: '2026-11-29', start: '2026-11-29', end: '2026-11-29', collected: 10_000, collectedToDate: 10_000, placedToDate: 135_000, rate: 0.0741, cumulativeRate: 0.0741 },
      { period: '2026-11-30', start: '2026-11-30', end: '2026-11-30', collected: 0, collectedToDate: 10_000, placedToDate: 135_000, rate: 0, cumulativeRate: 0.0741 },
    ]);
  });

  it('answers it per month, the months at either end cut to the range, and per creditor', async () => {
    const trend = await ask<RecoveryTrend>('RecoveryTrend', { from: '2026-10-15', to: '2026-12-10', granularity: 'month', currency: 'USD', creditorId: 'acme' });
    expect(trend.periods.map(({ period, start, end, collected, placedToDate, cumulativeRate }) => [period, start, end, collected, placedToDate, cumulativeRate])).toEqual([
      ['2026-10', '2026-10-15', '2026-10-31', 0, 0, null],
      ['2026-11', '2026-11-01', '2026-11-30', 10_000, 85_000, 0.1176],
      ['2026-12', '2026-12-01', '2026-12-10', 0, 85_000, 0.1176],
    ]);
    // Another currency's amounts are never added in.
    const euros = await ask<RecoveryTrend>('RecoveryTrend', { from: '2026-11-01', to: '2026-11-30', granularity: 'month', currency: 'EUR' });
    expect(euros.periods).toEqual([{ period: '2026-11', start: '2026-11-01', end: '2026-11-30', collected: 0, collectedToDate: 0, placedToDate: 85_000, rate: 0, cumulativeRate: 0 }]);
  });

  it('refuses a trend it cannot answer, naming the field', async () => {
    const range = { from: '2026-11-01', to: '2026-11-30', granularity: 'day' };
    await expect(refused('RecoveryTrend', range)).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'currency' });
    await expect(refused('RecoveryTrend', { ...range, currency: 'USD', granularity: 'week' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'granularity' });
    await expect(refused('RecoveryTrend', { ...range, currency: 'USD', to: '2026-10-01' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
    await expect(refused('RecoveryTrend', { ...range, currency: 'USD', to: '2028-01-01' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
    await expect(refused('RecoveryTrend', { ...range, currency: 'USD', product: 'yacht' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'product' });
    await expect(refused('RecoveryTrend', { ...range, currency: 'USD', jurisdiction: 'California' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'jurisdiction' });
    await expect(refused('RecoveryTrend', { ...range, currency: 'USD', riskTier: 'low' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'riskTier' });
  });

  it('answers the trend of one product or one jurisdiction, a country taking in its jurisdictions', async () => {
    const range = { from: '2026-11-01', to: '2026-11-30', granularity: 'month', currency: 'GBP' };
    const placed = async (params: Record<string, unknown>) => (await ask<RecoveryTrend>('RecoveryTrend', { ...range, ...params })).periods.map((period) => period.placedToDate);
    expect(await placed({ product: 'telecom' })).toEqual([20_000]);
    expect(await placed({ product: 'credit-card' })).toEqual([0]);
    expect(await placed({ jurisdiction: 'US-CA' })).toEqual([20_000]);
    expect(await placed({ jurisdiction: 'US' })).toEqual([20_000]);
    expect(await placed({ jurisdiction: 'US-IL' })).toEqual([0]);
    expect(await ask<RecoveryTrend>('RecoveryTrend', { ...range, product: 'telecom', jurisdiction: 'US' })).toMatchObject({ product: 'telecom', jurisdiction: 'US' });
    // The USD credit cards of Illinois are all the USD placed: 135,000, 10,000 of it paid.
    const illinois = await ask<RecoveryTrend>('RecoveryTrend', { ...range, currency: 'USD', product: 'credit-card', jurisdiction: 'US-IL' });
    expect(illinois.periods.map(({ placedToDate, collected }) => [placedToDate, collected])).toEqual([[135_000, 10_000]]);
  });

  it('answers the portfolio of one product or one jurisdiction, a country taking in its jurisdictions', async () => {
    const portfolio = (params: Record<string, unknown>) => ask<PortfolioSummary>('PortfolioSummary', params);
    const accountsPer = (summary: PortfolioSummary) => summary.currencies.map(({ currency, accounts }) => [currency, accounts]);
    expect(accountsPer(await portfolio({}))).toEqual([['EUR', 1], ['GBP', 1], ['USD', 2]]);
    expect(accountsPer(await portfolio({ product: 'telecom' }))).toEqual([['GBP', 1]]);
    expect(accountsPer(await portfolio({ product: 'credit-card' }))).toEqual([['EUR', 1], ['USD', 2]]);
    expect(accountsPer(await portfolio({ jurisdiction: 'US-CA' }))).toEqual([['GBP', 1]]);
    expect(accountsPer(await portfolio({ jurisdiction: 'US-IL', product: 'credit-card', currency: 'USD' }))).toEqual([['USD', 2]]);
    expect(accountsPer(await portfolio({ jurisdiction: 'US' }))).toEqual([['EUR', 1], ['GBP', 1], ['USD', 2]]);
    expect(accountsPer(await portfolio({ jurisdiction: 'CN' }))).toEqual([]);
    expect((await portfolio({ product: 'telecom' })).groups).toEqual([expect.objectContaining({ currency: 'GBP', accounts: 1, total: 20_000 })]);
    await expect(refused('PortfolioSummary', { product: 'yacht' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'product' });
    await expect(refused('PortfolioSummary', { jurisdiction: 'us' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'jurisdiction' });
  });
});
