import type { accounts } from '@arrears/contracts';
import { assessRisk, agingBucket } from '../../services/accounts/src/account/domain/delinquency';
import { DEFAULT_ACCOUNTS_POLICY } from '../../services/accounts/src/account/domain/policy';
import type { GatewayAnswer, GatewayClient, SimOperator } from './gateway-client';
import type { Observations } from './observations';
import type { SimulationOptions } from './options';
import { totalPlaced, type SimAccount } from './portfolio';
import type { Random } from './random';
import type { RouteName } from './routes';
import type { Scheduler, SimClock } from './scheduler';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The simulator's own operators; collectors are `simulator-collector-<n>`. */
export const SYSTEM: SimOperator = { operatorId: 'system:simulator', role: 'system' };
export const SUPERVISOR: SimOperator = { operatorId: 'simulator-supervisor', role: 'supervisor' };
export const LEGAL: SimOperator = { operatorId: 'simulator-legal', role: 'legal' };
export const AUDITOR: SimOperator = { operatorId: 'simulator-auditor', role: 'auditor' };

export function collectorOperator(index: number): SimOperator {
  return { operatorId: `simulator-collector-${String(index + 1).padStart(3, '0')}`, role: 'collector' };
}

/** An account while the run lasts: what the simulator knows of its debtor and their money. */
export interface LiveAccount {
  readonly sim: SimAccount;
  /** The debtor's own stream: their every choice. */
  readonly random: Random;
  /** What is owed, as the simulator counts it: placed less the payments accepted. */
  outstanding: number;
  /** The tier the platform gave the account, as the collector's queue last showed it. */
  tier: accounts.RiskTier;
  closed: boolean;
  /** A running (or proposed) plan pays the account off; the account then closes itself. */
  planRunning: boolean;
  disputed: boolean;
  /** Sent to legal by the supervisor. */
  escalated: boolean;
  brokenPromises: number;
}

/** Everything the run's agents share. */
export interface World {
  readonly options: SimulationOptions;
  readonly clock: SimClock;
  readonly gateway: GatewayClient;
  readonly seen: Observations;
  readonly random: Random;
  readonly scheduler: Scheduler;
  readonly accounts: ReadonlyMap<string, LiveAccount>;
  /** Routes the gateway has; a part of the model whose route is missing is left out. */
  readonly routes: ReadonlySet<RouteName>;
  /** Aborted when simulated time is up. */
  readonly signal: AbortSignal;
  readonly end: number;
  log(message: string): void;
}

export function liveAccount(sim: SimAccount, random: Random): LiveAccount {
  return { sim, random, outstanding: totalPlaced(sim), tier: initialTier(sim), closed: false, planRunning: false, disputed: false, escalated: false, brokenPromises: 0 };
}

/** The tier the accounts service gives an account at placement (the same pure scoring, docs/accounts.md). */
export function initialTier(account: SimAccount): accounts.RiskTier {
  return assessRisk(
    { totalBalance: totalPlaced(account), bucket: agingBucket(account.daysPastDue), product: account.product, brokenPromises: 0, daysSinceLastPayment: undefined },
    DEFAULT_ACCOUNTS_POLICY.risk,
  ).tier;
}

/** The UTC calendar day of a simulated instant: what payments are received on and promises fall due on. */
export function dayOf(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * Counts an answer nobody planned for (anything but success and the refusals the caller handles), so the summary can
 * show it; returns whether the answer was a success.
 */
export function expect<T>(world: Pick<World, 'seen'>, route: RouteName, answer: GatewayAnswer<T>, handled: readonly string[] = []): answer is Extract<GatewayAnswer<T>, { ok: true }> {
  if (answer.ok) return true;
  if (!handled.includes(answer.error.code)) world.seen.add(world.seen.unexpected, `${route} ${answer.error.code}`);
  return false;
}
