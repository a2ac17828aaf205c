import { createHash } from 'node:crypto';
import type { accounts, caseWorkflow, contactAttempts } from '@arrears/contracts';
import { DEFAULT_PLAN_POLICY } from '../../services/payment-plans/src/plan/domain/policy';
import { complain, considerLegalEscalation, considerWilfulDefault, reviewDispute } from './back-office';
import { caseAction, handlingTime, newCaseMemory, priorityOf, promiseSettled, retryAfter, retryAfterBlock, SHIFTS, shiftStartAtOrAfter, type CaseMemory, type Shift } from './collector';
import { answerCall, complaintAfter, localHour, outcomeOfStance, planRequest, promiseOffer, signsPlan, stanceOf } from './debtor';
import { allPages, type GatewayAnswer, type SimOperator } from './gateway-client';
import { addDaysTo, schedulePlanPayments, schedulePromisePayments } from './payments';
import { DAY_MS, dayOf, expect, HOUR_MS, type LiveAccount, type World } from './world';

/** A collector sees the debtor's numbers masked: they ask for the first phone on file, the one the case shows. */
const ON_FILE_PHONE = { kind: 'phone', onFile: 0 } as const;

/** Lines a collector works at once, as with a dialer: cases of their queue in parallel, never one case on two lines. */
export const LINES = 4;
/** How often a collector reloads their queue from the gateway (`GET /api/me/cases`), in simulated time. */
const QUEUE_REFRESH_MS = 3 * HOUR_MS;
const CONNECTED: readonly string[] = ['right-party-contact', 'third-party', 'wrong-number', 'refused', 'dispute-raised', 'promise-offered'];

interface QueueRow {
  readonly caseId: string;
  readonly stage: caseWorkflow.Stage | null;
  readonly stageEntry: number | null;
  readonly riskTier: accounts.RiskTier | null;
  readonly agingBucket: accounts.AgingBucket | null;
}

interface ContactAnswer {
  readonly events?: readonly { readonly type: string }[];
}

/**
 * One collector working their queue through the gateway, on their shift and on several lines: the cases the roster
 * gave them, each in its turn — a call (asked of the compliance engine first; a block is honoured and tried again at its
 * `nextAllowedAt`), the notice of legal consequences in pressure, a reminder before a promise falls due — and what
 * the debtor answers taken down as a promise, a plan, a dispute.
 */
export class CollectorAgent {
  private readonly cases = new Map<string, CaseMemory>();
  /** Cases a line is working now: no two lines work one case (one debtor) at once. */
  private readonly working = new Set<string>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;
  private readonly shift: Shift;

  constructor(
    private readonly world: World,
    readonly operator: SimOperator,
  ) {
    this.shift = SHIFTS[world.options.jurisdiction];
  }

  get queueSize(): number {
    return this.cases.size;
  }

  /** Works the queue on `LINES` lines at once until simulated time is up. */
  async run(): Promise<void> {
    await Promise.all(Array.from({ length: LINES }, () => this.line()));
  }

  private async line(): Promise<void> {
    const { world } = this;
    while (!world.signal.aborted) {
      const now = world.clock.now();
      if (now >= world.end) return;
      const start = shiftStartAtOrAfter(this.shift, now);
      if (start > now) {
        await world.clock.until(Math.min(start, world.end), world.signal);
        continue;
      }
      if (now - this.refreshedAt >= QUEUE_REFRESH_MS) await (this.refreshing ??= this.refresh(now).finally(() => (this.refreshing = undefined)));
      const next = this.nextCase(now);
      if (next === undefined) {
        let wake = Math.min(this.refreshedAt + QUEUE_REFRESH_MS, world.end);
        for (const memory of this.cases.values()) wake = Math.min(wake, Math.max(memory.nextActionAt, now + 60_000));
        await world.clock.until(wake, world.signal);
        continue;
      }
      this.working.add(next.accountId);
      let busy = 0;
      try {
        busy = await this.work(next, now);
      } catch (error) {
        // A fault of the simulator's own: say so, leave the case for a day, and keep working the others.
        world.log(`${this.operator.operatorId} failed on case ${next.accountId}: ${error instanceof Error ? error.message : String(error)}`);
        world.seen.add(world.seen.unexpected, 'collector error');
        next.nextActionAt = now + DAY_MS;
      } finally {
        this.working.delete(next.accountId);
      }
      await world.clock.until(now + busy, world.signal);
    }
  }

  private nextCase(now: number): CaseMemory | undefined {
    let best: CaseMemory | undefined;
    for (const memory of this.cases.values()) {
      const live = this.world.accounts.get(memory.accountId);
      if (live === undefined || live.closed || live.disputed || live.escalated || this.working.has(memory.accountId) || caseAction(memory, now) === 'none') continue;
      if (best === undefined || priorityOf(memory) < priorityOf(best)) best = memory;
    }
    return best;
  }

  /** The queue as the case-workflow read model has it: new cases join, released ones leave, stages and tiers update. */
  private async refresh(now: number): Promise<void> {
    this.refreshedAt = now;
    const answer = await allPages<QueueRow>((after) => this.world.gateway.call('MyCases', this.operator, { query: { limit: 200, after } }));
    if (!expect(this.world, 'MyCases', answer)) return;
    const held = new Set<string>();
    for (const row of answer.body) {
      const live = this.world.accounts.get(row.caseId);
      if (live === undefined) continue;
      held.add(row.caseId);
      if (row.riskTier !== null) live.tier = row.riskTier;
      let memory = this.cases.get(row.caseId);
      if (memory === undefined) {
        memory = newCaseMemory(row.caseId, live.tier, now, live.random);
        this.cases.set(row.caseId, memory);
      }
      if (row.stage !== memory.stage && row.stage === 'pressure') {
        // A promise broken or an instalment missed brought the case back: work it again now.
        memory.openPromise = null;
        memory.planId = null;
        live.planRunning = false;
        memory.nextActionAt = Math.min(memory.nextActionAt, now + live.random.between(0, 4) * HOUR_MS);
      }
      memory.stage = row.stage;
      memory.stageEntry = row.stageEntry;
      memory.tier = live.tier;
      memory.bucket = row.agingBucket;
    }
    for (const caseId of [...this.cases.keys()]) if (!held.has(caseId)) this.cases.delete(caseId);
  }

  /** Works one case; resolves how long (simulated) it kept the collector busy. */
  private async work(memory: CaseMemory, now: number): Promise<number> {
    const live = this.world.accounts.get(memory.accountId)!;
    switch (caseAction(memory, now)) {
      case 'final-notice':
        return this.finalNotice(memory, live, now);
      case 'reminder':
        return this.reminder(memory, live, now);
      case 'call':
        if (memory.openPromise !== null && promiseSettled(memory.openPromise, now)) memory.openPromise = null;
        return this.call(memory, live, now);
      case 'none':
        return 0;
    }
  }

  /** Asks the compliance engine; true when allowed. A block sets when to try again. */
  private async requestContact(memory: CaseMemory, live: LiveAccount, contactId: string, now: number, contact: Record<string, unknown>): Promise<boolean> {
    const { world } = this;
    world.seen.contacts.requested += 1;
    const answer: GatewayAnswer<ContactAnswer> = await world.gateway.call('RequestContact', this.operator, {
      params: { accountId: live.sim.accountId },
      body: { contactId, intendedAt: new Date(now).toISOString(), ...contact },
    });
    if (answer.ok) {
      world.seen.contacts.allowed += 1;
      world.seen.add(world.seen.contactsByChannel, String(contact['channel']));
      return true;
    }
    if (answer.error.code === 'COMPLIANCE_BLOCKED') {
      world.seen.contacts.blocked += 1;
      const details = (answer.error.details ?? {}) as { reasons?: readonly { ruleId: string }[]; nextAllowedAt?: string };
      for (const reason of details.reasons ?? []) world.seen.add(world.seen.blocksByRule, reason.ruleId);
      memory.nextActionAt = retryAfterBlock(details.nextAllowedAt, now, live.random);
      return false;
    }
    expect(world, 'RequestContact', answer, ['STATE_CONFLICT', 'FORBIDDEN']);
    // Closed meanwhile, or no longer this collector's: the next queue refresh sorts it out.
    memory.nextActionAt = now + DAY_MS;
    return false;
  }

  private async finalNotice(memory: CaseMemory, live: LiveAccount, now: number): Promise<number> {
    const { debtor } = live.sim;
    const target = { kind: 'address', value: `${debtor.address.lines.join(', ')}, ${debtor.address.city}, ${debtor.address.country}` };
    if (await this.requestContact(memory, live, live.random.uuid(), now, { channel: 'letter', target, purpose: 'final-notice' })) {
      memory.finalNoticeFor = memory.stageEntry;
      memory.nextActionAt = Math.max(memory.nextActionAt, now + live.random.between(1, 24) * HOUR_MS);
    }
    return handlingTime('letter', live.random);
  }

  private async reminder(memory: CaseMemory, live: LiveAccount, now: number): Promise<number> {
    const promise = memory.openPromise!;
    const text =
      live.sim.debtor.language === 'zh-CN'
        ? `提醒：您承诺的还款将于${promise.dueDate}到期。回复TD退订。Reply STOP to opt out.`
        : `Reminder: your payment of ${(promise.amount / 100).toFixed(2)} ${live.sim.currency} is due on ${promise.dueDate}. Reply STOP to opt out.`;
    const allowed = await this.requestContact(memory, live, live.random.uuid(), now, { channel: 'sms', target: ON_FILE_PHONE, messageText: text });
    // Blocked with a time: try then; blocked for good, or sent: no more reminders for this promise.
    if (allowed || memory.nextActionAt <= now || memory.nextActionAt >= Date.parse(`${promise.dueDate}T00:00:00Z`)) promise.reminded = true;
    return handlingTime('sms', live.random);
  }

  private async call(memory: CaseMemory, live: LiveAccount, now: number): Promise<number> {
    const { world } = this;
    const { accountId, debtor } = live.sim;
    const contactId = live.random.uuid();
    const china = world.options.jurisdiction === 'CN';
    const allowed = await this.requestContact(memory, live, contactId, now, { channel: 'call', target: ON_FILE_PHONE, ...(china ? { recordingPlanned: true } : {}) });
    if (!allowed) return handlingTime('blocked', live.random);
    memory.calls = [...memory.calls.filter((at) => at > now - 7 * DAY_MS), now];
    const answered = answerCall(live.tier, debtor, now, live.random);
    const stance = answered === 'right-party-contact' ? stanceOf(live.tier, debtor, live.random) : undefined;
    const outcome = stance === undefined ? answered : outcomeOfStance(stance);
    const talk = handlingTime(outcome, live.random);
    const recorded = await world.gateway.call('RecordAttemptOutcome', this.operator, {
      params: { accountId, contactId },
      body: {
        outcome,
        durationSeconds: CONNECTED.includes(outcome) ? Math.round(talk / 1000) : 0,
        ...(china && CONNECTED.includes(outcome) ? { recordingReference: `rec-${contactId}` } : {}),
      },
    });
    if (expect(world, 'RecordAttemptOutcome', recorded, ['FORBIDDEN', 'STATE_CONFLICT'])) world.seen.add(world.seen.callOutcomes, outcome);
    memory.nextActionAt = retryAfter(outcome as contactAttempts.Outcome, now, live.random, world.options.jurisdiction);
    const category = CONNECTED.includes(outcome) ? complaintAfter(live.tier, memory.calls.length, localHour(now, debtor.timeZone), live.random) : undefined;
    if (category !== undefined) complain(world, live, category, now);
    if (stance === 'promise') await this.takePromise(memory, live, now);
    else if (stance === 'plan') await this.agreePlan(memory, live, now);
    else if (stance === 'dispute') await this.flagDispute(live);
    else if (stance === 'refuse') considerLegalEscalation(world, live, memory.bucket);
    return talk;
  }

  private async takePromise(memory: CaseMemory, live: LiveAccount, now: number): Promise<void> {
    const { world } = this;
    if (!world.routes.has('RecordPromise') || live.outstanding <= 0) return;
    const offer = promiseOffer(live.outstanding, live.random);
    const promiseId = live.random.uuid();
    const dueDate = addDaysTo(dayOf(now), offer.dueInDays);
    const answer = await world.gateway.call('RecordPromise', this.operator, {
      params: { accountId: live.sim.accountId },
      body: { promiseId, amount: { minor: offer.amount, currency: live.sim.currency }, dueDate, channel: 'call' },
    });
    if (!expect(world, 'RecordPromise', answer, ['STATE_CONFLICT'])) {
      world.seen.promisesRefused += 1;
      return;
    }
    world.seen.promisesRecorded += 1;
    memory.openPromise = { promiseId, dueDate, amount: offer.amount, reminded: false };
    memory.nextActionAt = Date.parse(`${dueDate}T00:00:00Z`) - live.random.between(24, 40) * HOUR_MS;
    const broken = live.brokenPromises;
    schedulePromisePayments(world, live, { amount: offer.amount, dueDate });
    if (live.brokenPromises > broken) considerWilfulDefault(world, live, Date.parse(`${dueDate}T00:00:00Z`) + 5 * DAY_MS);
  }

  /** A plan on the whole balance: proposed, then signed by the debtor (or declined, and withdrawn). */
  private async agreePlan(memory: CaseMemory, live: LiveAccount, now: number): Promise<void> {
    const { world } = this;
    if (!world.routes.has('ProposePlan') || !world.routes.has('AcceptPlan') || live.outstanding < 1_000 || live.planRunning) return;
    const request = planRequest(live.outstanding, live.random);
    const planId = live.random.uuid();
    const firstDueDate = addDaysTo(dayOf(now), request.firstDueInDays);
    const accountId = live.sim.accountId;
    const proposed = await world.gateway.call('ProposePlan', this.operator, {
      params: { accountId },
      body: { planId, instalments: request.instalments, frequency: request.frequency, firstDueDate },
    });
    if (!expect(world, 'ProposePlan', proposed, ['STATE_CONFLICT'])) return;
    world.seen.plansProposed += 1;
    if (!signsPlan(live.tier, live.sim.debtor, live.random)) {
      world.seen.plansDeclined += 1;
      if (world.routes.has('CancelPlan')) await world.gateway.call('CancelPlan', this.operator, { params: { accountId, planId }, body: { reason: 'The debtor did not sign the commitment' } });
      return;
    }
    const document = `Payment plan ${planId}: ${request.instalments} ${request.frequency} instalments from ${firstDueDate}, signed by ${live.sim.debtor.debtorId}`;
    const accepted = await world.gateway.call('AcceptPlan', this.operator, {
      params: { accountId, planId },
      body: { commitment: { documentId: `commitment-${planId}`, sha256: createHash('sha256').update(document).digest('hex') } },
    });
    if (!expect(world, 'AcceptPlan', accepted, ['STATE_CONFLICT'])) return;
    world.seen.plansAccepted += 1;
    live.planRunning = true;
    memory.planId = planId;
    memory.openPromise = null;
    schedulePlanPayments(world, live, { total: live.outstanding, instalments: request.instalments, frequency: request.frequency, firstDueDate, graceDays: DEFAULT_PLAN_POLICY.graceDays });
  }

  private async flagDispute(live: LiveAccount): Promise<void> {
    const { world } = this;
    if (!world.routes.has('FlagAccount')) return;
    const answer = await world.gateway.call('FlagAccount', this.operator, { params: { accountId: live.sim.accountId }, body: { flag: 'dispute', reason: 'The debtor disputes the debt on the call' } });
    if (!expect(world, 'FlagAccount', answer, ['STATE_CONFLICT'])) return;
    live.disputed = true;
    world.seen.disputesFlagged += 1;
    reviewDispute(world, live);
  }
}
