import { instantOfLocal } from '../../services/contact-attempts/src/compliance/domain/local-time';
import { instalmentSchedule } from '../../services/payment-plans/src/plan/domain/schedule';
import { closeAccount } from './back-office';
import { instalmentFate, promiseFate, selfCure } from './debtor';
import { DAY_MS, dayOf, expect, HOUR_MS, SYSTEM, type LiveAccount, type World } from './world';

/** How debtors pay: through the lender's payment feed, which the simulator plays as `system` (`POST /api/accounts/:id/payments`). */
const CHANNELS = { 'bank-transfer': 5, card: 3, portal: 2 } as const;

/** A moment in the debtor's day (09:00–20:59 on their clock) on the calendar day `date`. */
export function daytimeOn(date: string, live: LiveAccount): number {
  const hour = live.random.int(9, 20);
  const minute = live.random.int(0, 59);
  return instantOfLocal(date, `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, live.sim.debtor.timeZone);
}

export function addDaysTo(date: string, days: number): string {
  return dayOf(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/**
 * Posts a payment of `amount` (at most what is owed) now. Accepted: counted against the account; refused (a closed
 * account): counted as refused; unanswered after every retry: kept apart, the reconciliation names it.
 */
export async function pay(world: World, live: LiveAccount, amount: number): Promise<boolean> {
  const minor = Math.min(amount, live.outstanding);
  if (minor <= 0 || live.closed) return false;
  const { accountId, currency } = live.sim;
  const answer = await world.gateway.call('PostPayment', SYSTEM, {
    params: { accountId },
    body: { paymentReference: `SIM-${live.random.uuid()}`, amount: { minor, currency }, receivedOn: dayOf(world.clock.now()), channel: live.random.weighted(CHANNELS) },
  });
  if (answer.ok) {
    world.seen.add(world.seen.paid, accountId, minor);
    world.seen.paymentsAccepted += 1;
    live.outstanding -= minor;
    // Paid off without a plan: the supervisor takes the account out of collection within a few days.
    if (live.outstanding === 0 && !live.planRunning) world.scheduler.at(world.clock.now() + live.random.between(12, 72) * HOUR_MS, () => closeAccount(world, live, 'paid-in-full'));
    return true;
  }
  if (answer.error.code === 'UNAVAILABLE' || answer.error.code === 'TIMEOUT') world.seen.add(world.seen.uncertainPayments, accountId, minor);
  else {
    world.seen.paymentsRefused += 1;
    expect(world, 'PostPayment', answer, ['STATE_CONFLICT']);
  }
  return false;
}

/** A debtor who pays unprompted some day of the run (docs/simulator.md, "self-cure"). */
export function scheduleSelfCure(world: World, live: LiveAccount, start: number): void {
  const cure = selfCure(live.tier, live.sim.debtor, world.options.days, live.random);
  if (cure === undefined) return;
  world.scheduler.at(start + cure.afterDays * DAY_MS, async () => {
    await pay(world, live, Math.max(100, Math.round(live.outstanding * cure.share)));
  });
}

/** The payments of a promise just recorded, as the debtor will (or will not) make them. */
export function schedulePromisePayments(world: World, live: LiveAccount, promise: { readonly amount: number; readonly dueDate: string }): void {
  const fate = promiseFate(live.tier, live.sim.debtor, live.random);
  if (fate.kind === 'break') {
    live.brokenPromises += 1;
    return;
  }
  const amount = fate.kind === 'keep' ? promise.amount : Math.max(100, Math.round(promise.amount * fate.share));
  if (fate.kind === 'partial') live.brokenPromises += 1;
  const at = Math.max(world.clock.now() + HOUR_MS, daytimeOn(addDaysTo(promise.dueDate, fate.daysFromDue), live));
  world.scheduler.at(at, async () => {
    await pay(world, live, amount);
  });
}

/**
 * The instalments of a plan just accepted, each paid on time, late within grace, or missed; a debtor who has missed
 * one is less likely to pay the next, and stops once the plan has defaulted (two missed and unpaid).
 */
export function schedulePlanPayments(world: World, live: LiveAccount, plan: { readonly total: number; readonly instalments: number; readonly frequency: 'weekly' | 'fortnightly' | 'monthly'; readonly firstDueDate: string; readonly graceDays: number }): void {
  const schedule = instalmentSchedule({ total: { minor: plan.total, currency: live.sim.currency }, instalments: plan.instalments, frequency: plan.frequency, firstDueDate: plan.firstDueDate });
  let missed = 0;
  for (const instalment of schedule) {
    if (missed >= 2) break;
    const fate = instalmentFate(live.tier, { willingness: live.sim.debtor.willingness * 0.7 ** missed }, plan.graceDays - 1, live.random);
    if (fate.kind === 'miss') {
      missed += 1;
      continue;
    }
    const at = Math.max(world.clock.now() + HOUR_MS, daytimeOn(addDaysTo(instalment.dueDate, fate.daysFromDue), live));
    world.scheduler.at(at, async () => {
      await pay(world, live, instalment.amount.minor);
    });
  }
}
