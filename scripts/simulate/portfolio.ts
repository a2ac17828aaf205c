import type { accounts } from '@arrears/contracts';
import type { Random } from './random';

/** The jurisdictions a simulated portfolio is placed in: every debtor of a run is in one. */
export const JURISDICTIONS = ['US', 'CN'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

interface ProductProfile {
  /** Share of the portfolio. */
  readonly share: number;
  /** Median balance placed, in minor units, and σ of its logarithm. */
  readonly median: number;
  readonly sigma: number;
  /** Typical shares of the balance that are fees and interest (each drawn within ±50 %). */
  readonly fees: number;
  readonly interest: number;
}

/**
 * What an agency's placements look like, by jurisdiction (docs/simulator.md): product mix and balances. Balances are
 * log-normal (most are small, a few large), in minor units of the jurisdiction's currency.
 */
export const PRODUCT_MIX: Readonly<Record<Jurisdiction, Readonly<Partial<Record<accounts.Product, ProductProfile>>>>> = {
  US: {
    'credit-card': { share: 0.34, median: 320_000, sigma: 0.7, fees: 0.06, interest: 0.12 },
    'consumer-loan': { share: 0.2, median: 650_000, sigma: 0.6, fees: 0.03, interest: 0.08 },
    'auto-loan': { share: 0.1, median: 1_100_000, sigma: 0.5, fees: 0.02, interest: 0.06 },
    telecom: { share: 0.1, median: 28_000, sigma: 0.6, fees: 0.1, interest: 0 },
    utility: { share: 0.08, median: 42_000, sigma: 0.5, fees: 0.08, interest: 0 },
    'student-loan': { share: 0.07, median: 1_400_000, sigma: 0.6, fees: 0.01, interest: 0.07 },
    overdraft: { share: 0.06, median: 90_000, sigma: 0.7, fees: 0.12, interest: 0.03 },
    'business-loan': { share: 0.03, median: 2_800_000, sigma: 0.8, fees: 0.02, interest: 0.06 },
    mortgage: { share: 0.02, median: 4_500_000, sigma: 0.5, fees: 0.01, interest: 0.04 },
  },
  CN: {
    'consumer-loan': { share: 0.48, median: 1_200_000, sigma: 0.8, fees: 0.04, interest: 0.1 },
    'credit-card': { share: 0.3, median: 1_800_000, sigma: 0.7, fees: 0.05, interest: 0.12 },
    telecom: { share: 0.07, median: 60_000, sigma: 0.6, fees: 0.08, interest: 0 },
    other: { share: 0.07, median: 500_000, sigma: 0.8, fees: 0.03, interest: 0.05 },
    'business-loan': { share: 0.05, median: 15_000_000, sigma: 0.8, fees: 0.02, interest: 0.06 },
    utility: { share: 0.03, median: 80_000, sigma: 0.5, fees: 0.05, interest: 0 },
  },
};

export const CURRENCY: Readonly<Record<Jurisdiction, string>> = { US: 'USD', CN: 'CNY' };

/** Aging at placement: how far past due accounts are when they reach the agency. */
export const PLACEMENT_BUCKETS: Readonly<Record<Exclude<accounts.AgingBucket, 'current'>, number>> = { '1-30': 0.35, '31-90': 0.4, '90+': 0.25 };

interface Region {
  readonly jurisdiction: string;
  /** The debtor's real zone; `declared: false` leaves it off the placement (the engine then judges every zone of the jurisdiction). */
  readonly timeZone: string;
  readonly areaCodes: readonly string[];
  readonly city: string;
  readonly weight: number;
}

/**
 * Where debtors live: US states weighted by population (Eastern about half, Central a quarter, Pacific a sixth), China
 * on one official time. Area codes and cities only make the contact details look right.
 */
export const REGIONS: Readonly<Record<Jurisdiction, readonly Region[]>> = {
  US: [
    { jurisdiction: 'US-NY', timeZone: 'America/New_York', areaCodes: ['212', '718', '585'], city: 'New York', weight: 6 },
    { jurisdiction: 'US-FL', timeZone: 'America/New_York', areaCodes: ['305', '407', '813'], city: 'Orlando', weight: 6.5 },
    { jurisdiction: 'US-PA', timeZone: 'America/New_York', areaCodes: ['215', '412'], city: 'Philadelphia', weight: 4 },
    { jurisdiction: 'US-OH', timeZone: 'America/New_York', areaCodes: ['216', '614'], city: 'Columbus', weight: 3.5 },
    { jurisdiction: 'US-GA', timeZone: 'America/New_York', areaCodes: ['404', '770'], city: 'Atlanta', weight: 3.2 },
    { jurisdiction: 'US-NC', timeZone: 'America/New_York', areaCodes: ['704', '919'], city: 'Charlotte', weight: 3.2 },
    { jurisdiction: 'US-MI', timeZone: 'America/Detroit', areaCodes: ['313', '616'], city: 'Detroit', weight: 3 },
    { jurisdiction: 'US-NJ', timeZone: 'America/New_York', areaCodes: ['201', '973'], city: 'Newark', weight: 2.8 },
    { jurisdiction: 'US-VA', timeZone: 'America/New_York', areaCodes: ['703', '804'], city: 'Richmond', weight: 2.6 },
    { jurisdiction: 'US-MA', timeZone: 'America/New_York', areaCodes: ['617', '508'], city: 'Boston', weight: 2.1 },
    { jurisdiction: 'US-TX', timeZone: 'America/Chicago', areaCodes: ['214', '713', '512'], city: 'Houston', weight: 9 },
    { jurisdiction: 'US-IL', timeZone: 'America/Chicago', areaCodes: ['312', '773', '217'], city: 'Chicago', weight: 3.8 },
    { jurisdiction: 'US-TN', timeZone: 'America/Chicago', areaCodes: ['615', '901'], city: 'Nashville', weight: 2.1 },
    { jurisdiction: 'US-MO', timeZone: 'America/Chicago', areaCodes: ['314', '816'], city: 'St. Louis', weight: 1.8 },
    { jurisdiction: 'US-WI', timeZone: 'America/Chicago', areaCodes: ['414', '608'], city: 'Milwaukee', weight: 1.8 },
    { jurisdiction: 'US-MN', timeZone: 'America/Chicago', areaCodes: ['612', '651'], city: 'Minneapolis', weight: 1.7 },
    { jurisdiction: 'US-AL', timeZone: 'America/Chicago', areaCodes: ['205', '334'], city: 'Birmingham', weight: 1.5 },
    { jurisdiction: 'US-CO', timeZone: 'America/Denver', areaCodes: ['303', '719'], city: 'Denver', weight: 1.8 },
    { jurisdiction: 'US-UT', timeZone: 'America/Denver', areaCodes: ['801', '435'], city: 'Salt Lake City', weight: 1 },
    { jurisdiction: 'US-AZ', timeZone: 'America/Phoenix', areaCodes: ['602', '520'], city: 'Phoenix', weight: 2.2 },
    { jurisdiction: 'US-CA', timeZone: 'America/Los_Angeles', areaCodes: ['213', '415', '619'], city: 'Los Angeles', weight: 11.8 },
    { jurisdiction: 'US-WA', timeZone: 'America/Los_Angeles', areaCodes: ['206', '509'], city: 'Seattle', weight: 2.3 },
    { jurisdiction: 'US-OR', timeZone: 'America/Los_Angeles', areaCodes: ['503', '541'], city: 'Portland', weight: 1.3 },
    { jurisdiction: 'US-NV', timeZone: 'America/Los_Angeles', areaCodes: ['702', '775'], city: 'Las Vegas', weight: 1 },
    { jurisdiction: 'US-AK', timeZone: 'America/Anchorage', areaCodes: ['907'], city: 'Anchorage', weight: 0.25 },
    { jurisdiction: 'US-HI', timeZone: 'Pacific/Honolulu', areaCodes: ['808'], city: 'Honolulu', weight: 0.45 },
  ],
  CN: [
    { jurisdiction: 'CN-GD', timeZone: 'Asia/Shanghai', areaCodes: ['138', '139'], city: 'Guangzhou', weight: 9 },
    { jurisdiction: 'CN-SD', timeZone: 'Asia/Shanghai', areaCodes: ['135', '158'], city: 'Jinan', weight: 7 },
    { jurisdiction: 'CN-JS', timeZone: 'Asia/Shanghai', areaCodes: ['137', '187'], city: 'Nanjing', weight: 6 },
    { jurisdiction: 'CN-ZJ', timeZone: 'Asia/Shanghai', areaCodes: ['136', '159'], city: 'Hangzhou', weight: 4.5 },
    { jurisdiction: 'CN-SC', timeZone: 'Asia/Shanghai', areaCodes: ['133', '180'], city: 'Chengdu', weight: 5.8 },
    { jurisdiction: 'CN-BJ', timeZone: 'Asia/Shanghai', areaCodes: ['139', '186'], city: 'Beijing', weight: 1.5 },
    { jurisdiction: 'CN-SH', timeZone: 'Asia/Shanghai', areaCodes: ['138', '177'], city: 'Shanghai', weight: 1.8 },
    { jurisdiction: 'CN-HB', timeZone: 'Asia/Shanghai', areaCodes: ['134', '151'], city: 'Wuhan', weight: 4.1 },
  ],
};

/** Debtors whose time zone the creditor does not know (the contact rules then judge every zone of the jurisdiction). */
export const UNKNOWN_TIME_ZONE_SHARE: Readonly<Record<Jurisdiction, number>> = { US: 0.05, CN: 0 };

const US_FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'Maria', 'Jose', 'Aisha', 'Wei', 'Carlos', 'Emily', 'Daniel', 'Sofia', 'Tyrone', 'Hannah'];
const US_LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Nguyen', 'Kim', 'Patel', 'Jackson', 'White'];
const CN_GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞'];
const CN_FAMILY = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];

/** A debtor as the simulator knows them: more than the creditor may have told the platform (their real zone). */
export interface SimDebtor {
  readonly debtorId: string;
  readonly name: string;
  readonly phone: string;
  readonly email: string;
  readonly address: { readonly lines: readonly string[]; readonly city: string; readonly country: string };
  readonly jurisdiction: string;
  /** Where the debtor really is: what their answering depends on. */
  readonly timeZone: string;
  /** Whether the placement names the zone. */
  readonly timeZoneDeclared: boolean;
  readonly language: string;
  /**
   * How much more (or less) than their tier's average this debtor answers, promises and keeps promises: a log-normal
   * factor around 1, so a debtor stays true to themselves through the run.
   */
  readonly willingness: number;
}

export interface SimAccount {
  /** Its place in the portfolio: the key of its own random stream. */
  readonly index: number;
  readonly accountId: string;
  readonly creditor: { readonly creditorId: string; readonly name: string };
  readonly creditorReference: string;
  readonly product: accounts.Product;
  readonly currency: string;
  readonly principal: number;
  readonly fees: number;
  readonly interest: number;
  readonly daysPastDue: number;
  readonly debtor: SimDebtor;
}

export function totalPlaced(account: Pick<SimAccount, 'principal' | 'fees' | 'interest'>): number {
  return account.principal + account.fees + account.interest;
}

const CREDITORS: Readonly<Record<Jurisdiction, readonly { creditorId: string; name: string; weight: number }[]>> = {
  US: [
    { creditorId: 'northwind-bank', name: 'Northwind Bank', weight: 5 },
    { creditorId: 'contoso-telecom', name: 'Contoso Telecom', weight: 2 },
    { creditorId: 'fabrikam-utilities', name: 'Fabrikam Utilities', weight: 1.5 },
    { creditorId: 'woodgrove-auto', name: 'Woodgrove Auto Finance', weight: 1.5 },
  ],
  CN: [
    { creditorId: 'huaxia-consumer-finance', name: '华夏消费金融', weight: 5 },
    { creditorId: 'changjiang-bank', name: '长江银行', weight: 3 },
    { creditorId: 'dongfang-telecom', name: '东方电信', weight: 1 },
  ],
};

/**
 * A portfolio of `count` accounts in `jurisdiction`, each debtor from its own stream of `random` (`account/<index>`),
 * so the same seed gives the same portfolio whatever the count asked for later (the first n accounts agree). The
 * account and debtor ids come from streams of their own salted with `idSalt`: a new salt gives new ids and the same
 * portfolio otherwise.
 */
export function generatePortfolio(count: number, jurisdiction: Jurisdiction, random: Random, idSalt = ''): SimAccount[] {
  return Array.from({ length: count }, (_, index) => generateAccount(index, jurisdiction, random.fork(`account/${index}`), random.fork(`ids/${idSalt}/${index}`)));
}

function generateAccount(index: number, jurisdiction: Jurisdiction, random: Random, ids: Random): SimAccount {
  const mix = PRODUCT_MIX[jurisdiction];
  const product = random.weighted(Object.fromEntries(Object.entries(mix).map(([name, profile]) => [name, profile.share])) as Record<accounts.Product, number>);
  const profile = mix[product] as ProductProfile;
  const total = Math.max(1_000, Math.round(random.logNormal(profile.median, profile.sigma) / 100) * 100);
  const fees = Math.round(total * profile.fees * random.between(0.5, 1.5));
  const interest = Math.round(total * profile.interest * random.between(0.5, 1.5));
  const bucket = random.weighted(PLACEMENT_BUCKETS);
  const daysPastDue = bucket === '1-30' ? random.int(5, 30) : bucket === '31-90' ? random.int(31, 90) : Math.min(720, 91 + Math.floor(-Math.log(1 - random.next()) * 75));
  const creditor = random.weighted(Object.fromEntries(CREDITORS[jurisdiction].map((c) => [c.creditorId, c.weight])));
  const accountId = ids.uuid();
  return {
    index,
    accountId,
    creditor: { creditorId: creditor, name: CREDITORS[jurisdiction].find((c) => c.creditorId === creditor)!.name },
    creditorReference: `${product.slice(0, 2).toUpperCase()}-${String(100_000 + index)}-${accountId.slice(0, 4)}`,
    product,
    currency: CURRENCY[jurisdiction],
    principal: total - fees - interest,
    fees,
    interest,
    daysPastDue,
    debtor: generateDebtor(index, jurisdiction, random, ids.uuid()),
  };
}

function generateDebtor(index: number, jurisdiction: Jurisdiction, random: Random, debtorId: string): SimDebtor {
  const region = random.weighted(Object.fromEntries(REGIONS[jurisdiction].map((r, i) => [String(i), r.weight]))) as string;
  const { jurisdiction: place, timeZone, areaCodes, city } = REGIONS[jurisdiction][Number(region)]!;
  const declared = !random.chance(UNKNOWN_TIME_ZONE_SHARE[jurisdiction]);
  const suffix = String(index).padStart(6, '0');
  const willingness = Math.min(2.5, Math.max(0.4, random.logNormal(1, 0.35)));
  if (jurisdiction === 'CN') {
    const name = `${random.pick(CN_FAMILY)}${random.pick(CN_GIVEN)}`;
    return {
      debtorId,
      name,
      // Mobile numbers: 1xx then eight digits, the last six the debtor's index so every debtor has their own.
      phone: `+86 ${random.pick(areaCodes)} ${suffix.slice(0, 2)}${String(random.int(10, 99))} ${suffix.slice(2)}`,
      email: `debtor${suffix}@example.cn`,
      address: { lines: [`${random.int(1, 300)}号 ${random.pick(['人民路', '解放路', '中山路', '建设路'])}`], city, country: 'CN' },
      jurisdiction: place,
      timeZone,
      timeZoneDeclared: true,
      language: 'zh-CN',
      willingness,
    };
  }
  const first = random.pick(US_FIRST);
  const last = random.pick(US_LAST);
  return {
    debtorId,
    name: `${first} ${last}`,
    // 555-01xx is reserved for fiction; the exchange varies so that every debtor has their own number.
    phone: `+1 ${random.pick(areaCodes)} ${String(200 + (index % 800)).padStart(3, '0')} ${String(Math.floor(index / 800) % 10_000).padStart(4, '0')}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}.${suffix}@example.com`,
    address: { lines: [`${random.int(1, 9_999)} ${random.pick(['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Elm St'])}`], city, country: 'US' },
    jurisdiction: place,
    timeZone,
    timeZoneDeclared: declared,
    language: random.chance(0.12) ? 'es-US' : 'en',
    willingness,
  };
}

/** The body of `POST /api/accounts` (PlaceAccount) for a simulated account. */
export function placementOf(account: SimAccount): Record<string, unknown> {
  const { debtor } = account;
  return {
    accountId: account.accountId,
    creditor: account.creditor,
    creditorReference: account.creditorReference,
    product: account.product,
    currency: account.currency,
    principal: account.principal,
    fees: account.fees,
    interest: account.interest,
    daysPastDue: account.daysPastDue,
    debtor: {
      debtorId: debtor.debtorId,
      name: debtor.name,
      phones: [{ number: debtor.phone, kind: 'mobile' }],
      emails: [debtor.email],
      postalAddress: { lines: [...debtor.address.lines], city: debtor.address.city, country: debtor.address.country },
      ...(debtor.timeZoneDeclared ? { timeZone: debtor.timeZone } : {}),
      jurisdiction: debtor.jurisdiction,
      language: debtor.language,
    },
  };
}
