import { allPages } from './gateway-client';
import type { ComplaintCategory } from './debtor';
import { DAY_MS, expect, HOUR_MS, LEGAL, SUPERVISOR, type LiveAccount, type World } from './world';

/**
 * The back office: a supervisor who closes paid accounts, logs and resolves complaints, settles disputes and flags
 * wilful default; and the legal department, which acknowledges the evidence packages delivered to it.
 */

export async function closeAccount(world: World, live: LiveAccount, reason: 'paid-in-full' | 'returned-to-creditor'): Promise<void> {
  if (live.closed || !world.routes.has('CloseAccount')) return;
  const answer = await world.gateway.call('CloseAccount', SUPERVISOR, { params: { accountId: live.sim.accountId }, body: { reason, ...(reason === 'returned-to-creditor' ? { note: 'Dispute not verified: returned to the creditor' } : {}) } });
  if (expect(world, 'CloseAccount', answer, ['STATE_CONFLICT'])) {
    live.closed = true;
    world.seen.accountsClosed += 1;
  }
}

const COMPLAINT_TEXT: Readonly<Record<ComplaintCategory, string>> = {
  harassment: 'The debtor says the collector was pushy on the phone.',
  frequency: 'The debtor says they are called too often.',
  'time-of-day': 'The debtor says the call came at an inconvenient hour.',
  other: 'The debtor is unhappy with how the account is handled.',
};

/** A complaint the debtor makes about a contact: logged by the supervisor within hours, resolved within days. */
export function complain(world: World, live: LiveAccount, category: ComplaintCategory, receivedAt: number): void {
  if (!world.routes.has('RecordComplaint')) return;
  const complaintId = live.random.uuid();
  world.scheduler.at(receivedAt + live.random.between(1, 20) * HOUR_MS, async () => {
    const answer = await world.gateway.call('RecordComplaint', SUPERVISOR, {
      params: { accountId: live.sim.accountId },
      body: { complaintId, category, channel: 'call', description: COMPLAINT_TEXT[category], receivedAt: new Date(receivedAt).toISOString() },
    });
    if (!expect(world, 'RecordComplaint', answer, ['STATE_CONFLICT'])) return;
    world.seen.complaintsRecorded += 1;
    if (!world.routes.has('ResolveComplaint')) return;
    world.scheduler.at(world.clock.now() + live.random.between(1, 10) * DAY_MS, async () => {
      const upheld = live.random.chance(0.2);
      const resolved = await world.gateway.call('ResolveComplaint', SUPERVISOR, {
        params: { accountId: live.sim.accountId, complaintId },
        body: { upheld, resolution: upheld ? 'Apologised; contact schedule reviewed with the collector.' : 'Reviewed the recordings: the contacts were within policy.' },
      });
      if (expect(world, 'ResolveComplaint', resolved)) world.seen.complaintsResolved += 1;
    });
  });
}

/**
 * A dispute the collector flagged: the supervisor has the debt verified within days and clears the flag (most), or
 * returns the account to the creditor when it cannot be verified.
 */
export function reviewDispute(world: World, live: LiveAccount): void {
  world.scheduler.at(world.clock.now() + live.random.between(5, 20) * DAY_MS, async () => {
    if (live.closed) return;
    if (live.random.chance(0.2) || !world.routes.has('ClearFlag')) {
      await closeAccount(world, live, 'returned-to-creditor');
      return;
    }
    const answer = await world.gateway.call('ClearFlag', SUPERVISOR, { params: { accountId: live.sim.accountId, flag: 'dispute' }, body: { reason: 'Debt verified; validation notice sent' } });
    if (expect(world, 'ClearFlag', answer, ['STATE_CONFLICT'])) {
      live.disputed = false;
      world.seen.disputesCleared += 1;
    }
  });
}

/** After a second broken promise, a supervisor may judge the debtor a wilful defaulter: a trigger for legal. */
export function considerWilfulDefault(world: World, live: LiveAccount, at: number): void {
  if (live.brokenPromises < 2 || live.tier !== 'high' || !world.routes.has('FlagWilfulDefault') || !live.random.chance(0.25)) return;
  world.scheduler.at(at, async () => {
    if (live.closed) return;
    const answer = await world.gateway.call('FlagWilfulDefault', SUPERVISOR, { params: { accountId: live.sim.accountId }, body: { reason: 'Two promises broken while able to pay' } });
    if (expect(world, 'FlagWilfulDefault', answer, ['STATE_CONFLICT'])) world.seen.wilfulDefaultsFlagged += 1;
  });
}

/** A debtor long past due (90+) who refuses to pay: the supervisor sends the case to legal directly, often. */
export const ESCALATE_ON_REFUSAL = 0.3;

export function considerLegalEscalation(world: World, live: LiveAccount, bucket: string | null): void {
  if (bucket !== '90+' || !world.routes.has('RequestLegalEscalation') || !live.random.chance(ESCALATE_ON_REFUSAL)) return;
  world.scheduler.at(world.clock.now() + live.random.between(2, 24) * HOUR_MS, () => escalate(world, live, 'Refuses to pay a debt more than 90 days past due'));
}

/** The weekly litigation review: who is sent to legal. */
export const LITIGATION_REVIEW = { everyDays: 7, minDaysPastDue: 90, minOutstanding: 200_000, minDaysInCollection: 14, probability: 0.15 } as const;

/**
 * Every week the supervisor reviews the cases long past due (90+ days) that have paid nothing after two weeks in
 * collection, owe at least 2,000.00, and have no plan or dispute, and sends some of them to legal
 * (`RequestLegalEscalation`) — besides the case saga's own triggers (two broken promises at 90+ days, two
 * defaulted plans, wilful default).
 */
export function scheduleLitigationReviews(world: World, start: number): void {
  const review = async (at: number) => {
    for (const live of world.accounts.values()) {
      const daysPastDue = live.sim.daysPastDue + (at - start) / DAY_MS;
      const eligible =
        world.seen.placed.has(live.sim.accountId) &&
        !live.closed &&
        !live.disputed &&
        !live.planRunning &&
        !live.escalated &&
        !world.seen.paid.has(live.sim.accountId) &&
        live.outstanding >= LITIGATION_REVIEW.minOutstanding &&
        daysPastDue >= LITIGATION_REVIEW.minDaysPastDue &&
        at - start >= LITIGATION_REVIEW.minDaysInCollection * DAY_MS;
      if (eligible && live.random.chance(LITIGATION_REVIEW.probability)) await escalate(world, live, 'Litigation review: 90+ days past due, nothing paid in collection');
    }
    const next = at + LITIGATION_REVIEW.everyDays * DAY_MS;
    if (next < world.end) world.scheduler.at(next, () => review(next));
  };
  const first = start + LITIGATION_REVIEW.everyDays * DAY_MS;
  world.scheduler.at(first, () => review(first));
}

async function escalate(world: World, live: LiveAccount, reason: string): Promise<void> {
  if (live.closed || live.escalated) return;
  const answer = await world.gateway.call('RequestLegalEscalation', SUPERVISOR, { params: { accountId: live.sim.accountId }, body: { reason } });
  if (expect(world, 'RequestLegalEscalation', answer, ['STATE_CONFLICT'])) {
    live.escalated = true;
    world.seen.escalationsRequested += 1;
  }
}

interface EscalationRow {
  readonly caseId: string;
  readonly handoff: number;
  readonly status: string;
  readonly packageId: string | null;
  readonly deliveredAt: string | null;
}

/**
 * The legal department: every few simulated hours it looks at the packages delivered to it and acknowledges each
 * some hours later — most well within the 48 hours, a few late (the saga then reports them overdue).
 */
export async function runLegalDesk(world: World): Promise<void> {
  if (!world.routes.has('Escalations') || !world.routes.has('AcknowledgeHandoff')) return;
  const planned = new Set<string>();
  while (!world.signal.aborted) {
    const answer = await allPages<EscalationRow>((after) => world.gateway.call('Escalations', LEGAL, { query: { status: 'delivered', limit: 200, after } }));
    if (expect(world, 'Escalations', answer)) {
      for (const row of answer.body) {
        const key = `${row.caseId}/${row.handoff}`;
        if (planned.has(key) || row.packageId === null) continue;
        planned.add(key);
        const live = world.accounts.get(row.caseId);
        const random = live?.random ?? world.random.fork(`legal/${key}`);
        const hours = random.chance(0.05) ? random.between(50, 90) : Math.min(44, random.logNormal(8, 0.8));
        const since = row.deliveredAt === null ? world.clock.now() : Date.parse(row.deliveredAt);
        world.scheduler.at(Math.max(world.clock.now(), since + hours * HOUR_MS), async () => {
          const acknowledged = await world.gateway.call('AcknowledgeHandoff', LEGAL, { params: { accountId: row.caseId }, body: { accountId: row.caseId, packageId: row.packageId } });
          if (expect(world, 'AcknowledgeHandoff', acknowledged, ['STATE_CONFLICT'])) world.seen.handoffsAcknowledged += 1;
        });
      }
    }
    await world.clock.until(world.clock.now() + 4 * HOUR_MS, world.signal);
  }
}
