import { setTimeout as sleep } from 'node:timers/promises';
import { allPages, type GatewayClient } from './gateway-client';
import type { Observations } from './observations';
import { totalPlaced, type SimAccount } from './portfolio';
import type { RouteName } from './routes';
import type { AccountRow, HandoffRow, PlatformFacts } from './summary';
import { AUDITOR, SUPERVISOR } from './world';

interface LedgerReport {
  readonly ok: boolean;
  readonly headSeq: number;
  readonly entriesChecked: number;
  readonly storeEventsChecked: number;
  readonly behind: number;
  readonly problemCount: number;
  readonly firstProblem: unknown;
}

export interface FactsInput {
  readonly gateway: GatewayClient;
  readonly routes: ReadonlySet<RouteName>;
  readonly portfolio: readonly SimAccount[];
  readonly seen: Observations;
  /** The simulated period the reports cover. */
  readonly from: string;
  readonly to: () => string;
  /** When (real epoch ms) to stop waiting for the platform to catch up. */
  readonly deadline: number;
  readonly progress: (step: string) => void;
}

/**
 * The platform's account of the run, through the gateway: the accounts read model once it has every payment the
 * simulator saw accepted (or the deadline passed), the audit ledger verified once it holds every event stored by
 * the end of the run, the audit's compliance reports, the cases per stage and the promises' fate.
 */
export async function gatherFacts(input: FactsInput): Promise<PlatformFacts> {
  input.progress('the accounts read model');
  const accounts = await settledAccounts(input);
  input.progress('the audit ledger');
  const ledger = await verifiedLedger(input);
  input.progress('the compliance reports');
  const period = { from: input.from, to: input.to() };
  const report = async <T>(name: string): Promise<T | null> => {
    if (!input.routes.has('AuditReport')) return null;
    const answer = await input.gateway.call<T>('AuditReport', AUDITOR, { params: { report: name }, query: period });
    return answer.ok ? answer.body : null;
  };
  const [quietHours, frequencyCaps, blocked, legal] = await Promise.all([
    report<PlatformFacts['quietHours']>('quiet-hours'),
    report<PlatformFacts['frequencyCaps']>('frequency-caps'),
    report<PlatformFacts['blocked']>('blocked-attempts'),
    report<{ deadlineHours: number; handoffs: HandoffRow[] }>('legal-handoffs'),
  ]);
  input.progress('stages and promises');
  return {
    accounts,
    stageCounts: await stageCounts(input),
    promises: await promiseFates(input, period),
    legal: legal === null ? null : { deadlineHours: legal.deadlineHours, periodTo: period.to, handoffs: legal.handoffs },
    quietHours,
    frequencyCaps,
    blocked,
    ledger,
  };
}

async function settledAccounts(input: FactsInput): Promise<AccountRow[] | null> {
  const ours = new Set(input.portfolio.map((account) => account.accountId));
  for (;;) {
    const answer = await allPages<AccountRow>((after) => input.gateway.call('ListAccounts', SUPERVISOR, { query: { limit: 200, after } }));
    if (!answer.ok) return null;
    const rows = answer.body.filter((row) => ours.has(row.accountId));
    const byId = new Map(rows.map((row) => [row.accountId, row]));
    const behind = input.portfolio.filter((account) => {
      if (!input.seen.placed.has(account.accountId)) return false;
      const row = byId.get(account.accountId);
      return row === undefined || row.total - row.credit !== totalPlaced(account) - (input.seen.paid.get(account.accountId) ?? 0);
    });
    if (behind.length === 0 || Date.now() >= input.deadline) return rows;
    await sleep(2_000);
  }
}

/**
 * Verification while the platform runs on (its timers and reviews keep writing events): a first pass at the end of
 * the run says how far the store is (`headSeq` + `behind`); the ledger is complete for the run once a later pass
 * starts at or beyond that point, and it verifies when that pass finds no problem.
 */
async function verifiedLedger(input: FactsInput): Promise<PlatformFacts['ledger']> {
  if (!input.routes.has('VerifyLedger')) return null;
  const verify = async () => {
    const answer = await input.gateway.call<LedgerReport>('VerifyLedger', AUDITOR, { query: { requireComplete: false, maxProblems: 20 } });
    return answer.ok ? answer.body : null;
  };
  const first = await verify();
  if (first === null) return null;
  const target = first.headSeq + first.behind;
  let last = first;
  while (last.headSeq < target && Date.now() < input.deadline) {
    await sleep(2_000);
    last = (await verify()) ?? last;
  }
  return {
    ok: last.ok,
    problemCount: last.problemCount,
    behind: Math.max(0, target - last.headSeq),
    entriesChecked: last.entriesChecked,
    storeEventsChecked: last.storeEventsChecked,
    firstProblem: last.firstProblem,
  };
}

async function stageCounts(input: FactsInput): Promise<Record<string, number> | null> {
  if (!input.routes.has('StageCounts')) return null;
  const answer = await input.gateway.call<{ stage: string; cases: number }[]>('StageCounts', SUPERVISOR);
  return answer.ok ? Object.fromEntries(answer.body.map((row) => [row.stage, row.cases])) : null;
}

async function promiseFates(input: FactsInput, period: { from: string; to: string }): Promise<PlatformFacts['promises']> {
  if (!input.routes.has('PromiseRates')) return null;
  const answer = await input.gateway.call<{ groups: { made: number; kept: number; broken: number; open: number; cancelled: number }[] }>('PromiseRates', SUPERVISOR, {
    query: { from: period.from.slice(0, 10), to: period.to.slice(0, 10), groupBy: 'operator' },
  });
  if (!answer.ok) return null;
  const sum = (key: 'made' | 'kept' | 'broken' | 'open' | 'cancelled') => answer.body.groups.reduce((total, group) => total + group[key], 0);
  return { made: sum('made'), kept: sum('kept'), broken: sum('broken'), open: sum('open'), cancelled: sum('cancelled') };
}
