import type { caseWorkflow } from '@arrears/contracts';
import type { DifficultyScale, RosterPolicy } from './policy';
import type { CaseProfile, Collector, Roster } from './roster';

type ScoreFactor = caseWorkflow.ScoreFactor;

export interface Difficulty {
  /** 0–100, the sum of the parts. */
  readonly points: number;
  readonly parts: { readonly balance: number; readonly daysPastDue: number; readonly tier: number; readonly brokenPromises: number };
}

export interface ScoredCollector {
  readonly collectorId: string;
  readonly score: number;
  readonly factors: readonly ScoreFactor[];
  /** Open cases now: the first tie-break. */
  readonly open: number;
}

/**
 * Every figure is rounded to hundredths before it is added up, so the score in an event is the sum of the points
 * of its factors exactly, and ties compare equal rather than by floating-point noise.
 */
export function round(value: number): number {
  return Math.round(value * 100) / 100 + 0;
}

/** How hard the case is, 0–100: larger balances, older debt, riskier tiers and broken promises make it harder. */
export function caseDifficulty(profile: CaseProfile, scale: DifficultyScale): Difficulty {
  const fullBalance = scale.fullBalance.byCurrency[profile.currency] ?? scale.fullBalance.default;
  const parts = {
    balance: round(scale.points.balance * share(profile.balance, fullBalance)),
    daysPastDue: round(scale.points.daysPastDue * share(profile.daysPastDue, scale.fullDaysPastDue)),
    tier: round(scale.points.tier * scale.tierShare[profile.tier]),
    brokenPromises: round(scale.points.brokenPromises * share(profile.brokenPromises, scale.fullBrokenPromises)),
  };
  return { points: round(parts.balance + parts.daysPastDue + parts.tier + parts.brokenPromises), parts };
}

/** The collector's success rate with a Laplace prior: a newcomer counts as even, and one result moves it a little. */
export function successRate(collector: Collector): number {
  const { success, failure } = collector.outcomes;
  return (success + 1) / (success + failure + 2);
}

/** One collector's score for a case, factor by factor, each with its points and why. */
export function scoreCollector(collector: Collector, profile: CaseProfile, policy: RosterPolicy): ScoredCollector {
  const { weights } = policy;
  const difficulty = caseDifficulty(profile, policy.difficulty);
  const open = collector.open.length;
  const spare = Math.max(0, collector.capacity - open);
  const { success, failure, neutral } = collector.outcomes;
  const rate = successRate(collector);
  const uncounted = neutral > 0 ? ` (${neutral} neutral, not counted)` : '';
  const specialist = collector.specialties.includes(profile.product);
  const factors: ScoreFactor[] = [
    {
      factor: 'specialty',
      points: specialist ? weights.specialty : 0,
      detail: specialist ? `${profile.product} is one of their ${collector.specialties.length} specialties` : `${profile.product} is not among their specialties`,
    },
    {
      factor: 'spare-capacity',
      points: round(weights.spareCapacity * share(spare, collector.capacity)),
      detail: `${spare} of ${collector.capacity} places free (${open} open)`,
    },
    {
      factor: 'success-rate',
      points: round(weights.successRate * rate),
      detail: `${count(success, 'success', 'successes')}, ${count(failure, 'failure', 'failures')}: (${success}+1)/(${success + failure}+2) = ${percent(rate)}${uncounted}`,
    },
    {
      factor: 'difficulty',
      points: round((weights.difficulty * difficulty.points * (2 * rate - 1)) / 100),
      detail:
        `difficulty ${difficulty.points}/100 (balance ${difficulty.parts.balance}, days past due ${difficulty.parts.daysPastDue}, ` +
        `tier ${difficulty.parts.tier}, broken promises ${difficulty.parts.brokenPromises}) against a ${percent(rate)} success rate`,
    },
  ];
  return { collectorId: collector.collectorId, score: total(factors), factors, open };
}

/** Available collectors with a free place, best first: highest score, then fewer open cases, then collector id. */
export function rankCandidates(state: Roster, profile: CaseProfile, policy: RosterPolicy, excluded: readonly string[] = []): ScoredCollector[] {
  return Object.values(state.collectors)
    .filter((collector) => hasRoom(collector) && !excluded.includes(collector.collectorId))
    .map((collector) => scoreCollector(collector, profile, policy))
    .sort(byRank);
}

/** Whether a case may be given to the collector by score: available, and fewer open cases than capacity. */
export function hasRoom(collector: Collector): boolean {
  return collector.available && collector.open.length < collector.capacity;
}

export function byRank(a: ScoredCollector, b: ScoredCollector): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.open !== b.open) return a.open - b.open;
  return a.collectorId < b.collectorId ? -1 : a.collectorId > b.collectorId ? 1 : 0;
}

export function total(factors: readonly ScoreFactor[]): number {
  return round(factors.reduce((sum, factor) => sum + factor.points, 0));
}

/** How far `value` is towards `full`, 0–1; with nothing to fill (`full` 0), anything at all is full. */
function share(value: number, full: number): number {
  if (full <= 0) return value > 0 ? 1 : 0;
  return Math.min(1, value / full);
}

function percent(rate: number): string {
  return `${round(rate * 100)}%`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
