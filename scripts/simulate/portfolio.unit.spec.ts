import { accounts } from '@arrears/contracts';
import { agingBucket } from '../../services/accounts/src/account/domain/delinquency';
import { generatePortfolio, PLACEMENT_BUCKETS, placementOf, PRODUCT_MIX, REGIONS, totalPlaced, UNKNOWN_TIME_ZONE_SHARE } from './portfolio';
import { Random } from './random';

const share = (items: readonly unknown[], value: unknown) => items.filter((item) => item === value).length / items.length;

describe('the seeded random stream', () => {
  it('repeats with its key, and a fork is a stream of its own', () => {
    const draws = (key: string) => Array.from({ length: 5 }, ((random) => () => random.next())(new Random(key)));
    expect(draws('seed-1')).toEqual(draws('seed-1'));
    expect(draws('seed-1')).not.toEqual(draws('seed-2'));
    const parent = new Random('seed-1');
    const a = parent.fork('debtor/1').next();
    parent.next();
    expect(parent.fork('debtor/1').next()).toBe(a);
  });

  it('draws uniformly in [0, 1), weights by proportion, and makes UUIDs of version 4 layout', () => {
    const random = new Random('uniform');
    const values = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
    const picks = Array.from({ length: 20_000 }, () => random.weighted({ a: 1, b: 3 }));
    expect(share(picks, 'b')).toBeCloseTo(0.75, 1);
    expect(random.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('a generated portfolio', () => {
  const us = generatePortfolio(4_000, 'US', new Random('portfolio-test'));
  const cn = generatePortfolio(1_000, 'CN', new Random('portfolio-test'));

  it('is the same for the same seed, the first accounts agree whatever the count, and a new id salt changes only the ids', () => {
    const again = generatePortfolio(10, 'US', new Random('portfolio-test'));
    expect(again).toEqual(us.slice(0, 10));
    const salted = generatePortfolio(10, 'US', new Random('portfolio-test'), 'run-2');
    expect(salted.map(({ accountId: _a, debtor: { debtorId: _d, ...debtor }, creditorReference: _r, ...rest }) => ({ ...rest, debtor }))).toEqual(
      us.slice(0, 10).map(({ accountId: _a, debtor: { debtorId: _d, ...debtor }, creditorReference: _r, ...rest }) => ({ ...rest, debtor })),
    );
    expect(salted[0]!.accountId).not.toBe(us[0]!.accountId);
  });

  it('places every account as the PlaceAccount contract accepts it', () => {
    for (const account of [...us.slice(0, 500), ...cn.slice(0, 200)]) {
      const parsed = accounts.PlaceAccount.schema.safeParse(placementOf(account));
      expect(parsed.success ? 'valid' : parsed.error.issues).toBe('valid');
    }
  });

  it('has unique account ids, debtor ids and phone numbers', () => {
    for (const portfolio of [us, cn]) {
      expect(new Set(portfolio.map((a) => a.accountId)).size).toBe(portfolio.length);
      expect(new Set(portfolio.map((a) => a.debtor.debtorId)).size).toBe(portfolio.length);
      expect(new Set(portfolio.map((a) => a.debtor.phone.replace(/\D/g, ''))).size).toBe(portfolio.length);
    }
  });

  it('follows the product mix, the placement buckets and the regions of its jurisdiction', () => {
    for (const [product, profile] of Object.entries(PRODUCT_MIX.US)) expect(Math.abs(share(us.map((a) => a.product), product) - profile.share)).toBeLessThan(0.03);
    for (const [bucket, expected] of Object.entries(PLACEMENT_BUCKETS)) expect(Math.abs(share(us.map((a) => agingBucket(a.daysPastDue)), bucket) - expected)).toBeLessThan(0.03);
    const eastern = us.filter((a) => ['America/New_York', 'America/Detroit'].includes(a.debtor.timeZone)).length / us.length;
    expect(eastern).toBeGreaterThan(0.4);
    expect(eastern).toBeLessThan(0.55);
    expect(new Set(us.map((a) => a.debtor.timeZone))).toEqual(new Set(REGIONS.US.map((r) => r.timeZone)));
    expect(Math.abs(us.filter((a) => !a.debtor.timeZoneDeclared).length / us.length - UNKNOWN_TIME_ZONE_SHARE.US)).toBeLessThan(0.015);
    expect(new Set(cn.map((a) => a.debtor.timeZone))).toEqual(new Set(['Asia/Shanghai']));
    expect(cn.every((a) => a.currency === 'CNY' && a.debtor.jurisdiction.startsWith('CN') && a.debtor.language === 'zh-CN')).toBe(true);
    expect(us.every((a) => a.currency === 'USD' && a.debtor.jurisdiction.startsWith('US-'))).toBe(true);
  });

  it('has log-normal balances around each product’s median, fees and interest within the balance, delinquent from 5 days', () => {
    const cards = us.filter((a) => a.product === 'credit-card').map(totalPlaced).sort((a, b) => a - b);
    const median = cards[Math.floor(cards.length / 2)]!;
    expect(median).toBeGreaterThan(PRODUCT_MIX.US['credit-card']!.median * 0.85);
    expect(median).toBeLessThan(PRODUCT_MIX.US['credit-card']!.median * 1.15);
    for (const account of us) {
      expect(account.principal).toBeGreaterThan(0);
      expect(account.fees + account.interest).toBeLessThan(totalPlaced(account));
      expect(account.daysPastDue).toBeGreaterThanOrEqual(5);
      expect(account.daysPastDue).toBeLessThanOrEqual(720);
    }
    expect(us.filter((a) => a.product === 'telecom' || a.product === 'utility').every((a) => a.interest === 0)).toBe(true);
  });
});
