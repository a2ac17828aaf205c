import type { accounts, CommandEnvelope } from '@arrears/contracts';
import { uuidV5 } from '@arrears/event-store';
import type { LoggerService } from '@nestjs/common';
import type { AccountCommands } from './account-commands';

/** The namespace of review command ids: one per account and calendar day, fixed for ever. */
const REVIEW_COMMANDS = '8c4e1f2a-5b7d-4c39-9e8a-1d6f3b2c7a54';
const PAGE = 500;

/** What the review asks of the read side: the accounts whose figures may have moved by a given day. */
export interface AccountsDueForReview {
  accountsDueForReview(today: string, recentPaymentDays: number, limit: number, after?: string): Promise<string[]>;
}

export interface DailyReviewOptions {
  /** How often to look; 0 never runs on its own (`runOnce` still works). */
  readonly intervalMs: number;
  readonly recentPaymentDays: number;
  readonly clock?: () => Date;
  readonly logger?: LoggerService;
}

export interface ReviewRun {
  readonly day: string;
  readonly reviewed: number;
  /** Accounts for which the review published something (a bucket or tier change). */
  readonly changed: number;
  readonly failed: number;
}

/**
 * Days past due grow with the calendar, not with commands: this sends `ReviewAccount` to every account the read
 * model says may have moved, as the service's own system user. The command id is derived from the account and
 * the day, so several instances, or several runs in one day, review each account once a day. The clock is read
 * here, in the infrastructure, and travels to the domain as the command's `now`.
 */
export class DailyReview {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReviewRun> | undefined;

  constructor(
    private readonly commands: AccountCommands,
    private readonly due: AccountsDueForReview,
    private readonly options: DailyReviewOptions,
  ) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer !== undefined) return;
    const tick = () => {
      this.running ??= this.runOnce().finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, this.options.intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  async runOnce(): Promise<ReviewRun> {
    const now = (this.options.clock ?? (() => new Date()))();
    const day = now.toISOString().slice(0, 10);
    let reviewed = 0;
    let changed = 0;
    let failed = 0;
    for (let after: string | undefined; ; ) {
      const page = await this.due.accountsDueForReview(day, this.options.recentPaymentDays, PAGE, after);
      for (const accountId of page) {
        try {
          const outcome = await this.commands.handle(reviewCommand(accountId, day, now));
          reviewed += 1;
          if (outcome.events.length > 0 && !outcome.repeated) changed += 1;
        } catch (error) {
          failed += 1;
          this.options.logger?.warn?.(`review of account ${accountId} failed: ${error instanceof Error ? error.message : String(error)}`, 'DailyReview');
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1];
    }
    if (reviewed + failed > 0) this.options.logger?.log?.(`daily review ${day}: ${reviewed} reviewed, ${changed} changed, ${failed} failed`, 'DailyReview');
    return { day, reviewed, changed, failed };
  }
}

export function reviewCommand(accountId: string, day: string, now: Date): CommandEnvelope & Extract<accounts.AccountCommand, { type: 'ReviewAccount' }> {
  const id = uuidV5(`ReviewAccount/${accountId}/${day}`, REVIEW_COMMANDS);
  return {
    commandId: id,
    type: 'ReviewAccount',
    schemaVersion: 1,
    data: { accountId },
    metadata: { correlationId: id, caseId: accountId, actorId: 'system:accounts', actorRole: 'system', now: now.toISOString() },
  };
}
