import type { accounts } from '@arrears/contracts';
import { answerCall, complaintAfter, instalmentFate, localHour, planRequest, promiseFate, promiseOffer, selfCure, stanceOf } from './debtor';
import { Random } from './random';

const TIERS: readonly accounts.RiskTier[] = ['low', 'medium', 'high'];
const average = { willingness: 1, timeZone: 'America/Chicago' };
const RUNS = 20_000;

function frequency(draw: (random: Random) => boolean, key: string): number {
  const random = new Random(key);
  let hits = 0;
  for (let i = 0; i < RUNS; i += 1) if (draw(random)) hits += 1;
  return hits / RUNS;
}

/** 2026-03-10 at `hour`:30 in Chicago (CDT, UTC−5). */
const chicago = (hour: number) => Date.parse(`2026-03-10T${String(hour).padStart(2, '0')}:30:00-05:00`);

describe('a simulated debtor', () => {
  it('reads the hour on their own clock', () => {
    expect(localHour(chicago(19), 'America/Chicago')).toBe(19);
    expect(localHour(chicago(19), 'America/Los_Angeles')).toBe(17);
    expect(localHour(Date.parse('2026-03-10T13:30:00Z'), 'Asia/Shanghai')).toBe(21);
  });

  it('answers less often the riskier their tier, more often in the early evening than in the morning', () => {
    const rightParty = (tier: accounts.RiskTier, hour: number) => frequency((random) => answerCall(tier, average, chicago(hour), random) === 'right-party-contact', `${tier}/${hour}`);
    const [low, medium, high] = TIERS.map((tier) => rightParty(tier, 12));
    expect(low).toBeGreaterThan(medium!);
    expect(medium).toBeGreaterThan(high!);
    expect(low).toBeCloseTo(0.3 * 1.05 * 0.8, 1);
    expect(rightParty('medium', 19)).toBeGreaterThan(rightParty('medium', 8) * 1.5);
  });

  it('is true to their willingness: a willing debtor answers and promises more than an unwilling one of the same tier', () => {
    const willing = { willingness: 2, timeZone: 'America/Chicago' };
    const unwilling = { willingness: 0.5, timeZone: 'America/Chicago' };
    expect(frequency((r) => answerCall('medium', willing, chicago(12), r) !== 'no-answer', 'w')).toBeGreaterThan(frequency((r) => answerCall('medium', unwilling, chicago(12), r) !== 'no-answer', 'u'));
    expect(frequency((r) => stanceOf('medium', willing, r) === 'promise', 'wp')).toBeGreaterThan(frequency((r) => stanceOf('medium', unwilling, r) === 'promise', 'up'));
  });

  it('promises more, and keeps more promises, the lower their risk', () => {
    const promises = TIERS.map((tier) => frequency((random) => stanceOf(tier, average, random) === 'promise', `stance/${tier}`));
    const kept = TIERS.map((tier) => frequency((random) => promiseFate(tier, average, random).kind === 'keep', `kept/${tier}`));
    expect(promises[0]).toBeGreaterThan(promises[2]!);
    expect(kept).toEqual([expect.closeTo(0.8, 1), expect.closeTo(0.6, 1), expect.closeTo(0.35, 1)]);
  });

  it('promises at most what is owed, due within the 45 days the promises service allows, and pays a kept one within its grace', () => {
    const random = new Random('offers');
    for (let i = 0; i < 2_000; i += 1) {
      const owed = random.int(1_000, 5_000_000);
      const offer = promiseOffer(owed, random);
      expect(offer.amount).toBeGreaterThan(0);
      expect(offer.amount).toBeLessThanOrEqual(owed);
      expect(offer.dueInDays).toBeGreaterThanOrEqual(1);
      expect(offer.dueInDays).toBeLessThanOrEqual(45);
      const fate = promiseFate('low', average, random);
      if (fate.kind !== 'break') expect(Math.abs(fate.daysFromDue)).toBeLessThanOrEqual(2);
    }
  });

  it('asks for a plan the plans service takes: 2 to 12 instalments, the first within 30 days', () => {
    const random = new Random('plans');
    for (let i = 0; i < 2_000; i += 1) {
      const plan = planRequest(random.int(1_000, 10_000_000), random);
      expect(plan.instalments).toBeGreaterThanOrEqual(1);
      expect(plan.instalments).toBeLessThanOrEqual(12);
      expect(plan.firstDueInDays).toBeGreaterThanOrEqual(0);
      expect(plan.firstDueInDays).toBeLessThanOrEqual(30);
    }
  });

  it('pays an instalment late only within the grace days', () => {
    const random = new Random('instalments');
    for (let i = 0; i < 2_000; i += 1) {
      const fate = instalmentFate('medium', average, 4, random);
      if (fate.kind === 'pay') expect(fate.daysFromDue).toBeLessThanOrEqual(4);
    }
  });

  it('pays unprompted within the run the more often the lower the risk and the longer the run', () => {
    const cured = (tier: accounts.RiskTier, days: number) => frequency((random) => selfCure(tier, average, days, random) !== undefined, `cure/${tier}/${days}`);
    expect(cured('low', 120)).toBeCloseTo(1 - Math.exp(-0.004 * 120), 1);
    expect(cured('low', 120)).toBeGreaterThan(cured('high', 120));
    expect(cured('low', 120)).toBeGreaterThan(cured('low', 10));
  });

  it('complains more after many calls in a week, and about frequency then', () => {
    const complaints = (calls: number) => frequency((random) => complaintAfter('medium', calls, 14, random) !== undefined, `complaints/${calls}`);
    expect(complaints(6)).toBeGreaterThan(complaints(0) * 1.8);
    const random = new Random('categories');
    for (let i = 0; i < 20_000; i += 1) {
      const category = complaintAfter('high', 5, 14, random);
      if (category !== undefined) expect(category).toBe('frequency');
    }
  });
});
