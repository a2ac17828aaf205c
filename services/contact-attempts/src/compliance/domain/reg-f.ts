import { DAY_MS } from './local-time';
import { blocks, localWindowRule, passes, when, type Rule, type RuleContext } from './rules';

/*
 * US Regulation F (12 CFR 1006), as the engine reads it — windows are rolling 24-hour days, which is never looser
 * than the regulation's "seven consecutive days" except by the hour a DST change adds (docs/compliance.md).
 */

const callsAboutThisDebt = ({ history, request }: RuleContext) => history.filter((past) => past.channel === 'call' && past.debtId === request.debtId);

/**
 * At most `maxCallAttemptsPerDebt` calls about one debt in any `windowDays` × 24 h, counting this one: every window
 * that would contain it, also windows reaching past it into calls already made later (a decision about the past).
 */
const callFrequency: Rule = {
  timeBased: true,
  judge(context, at) {
    if (context.request.channel !== 'call') return undefined;
    const { maxCallAttemptsPerDebt: limit, windowDays } = context.config.packs['reg-f'];
    const window = windowDays * DAY_MS;
    const calls = callsAboutThisDebt(context).map((past) => past.atMs);
    const inWindowEndingAt = (end: number) => calls.filter((call) => call > end - window && call <= end);
    const before = inWindowEndingAt(at);
    const counted = Math.max(before.length, ...calls.filter((call) => call > at && call < at + window).map((end) => inWindowEndingAt(end).length));
    const source = '12 CFR 1006.14(b)(2)(i)(A)';
    if (counted < limit) {
      return passes('reg-f.call-frequency', `${counted} of at most ${limit} calls about this debt in ${windowDays} days.`, { counted, limit });
    }
    // Allowed again once enough of the calls before it have left the window; failing that, when any call leaves one.
    const oldestToLeave = before.length >= limit ? before[before.length - limit] : undefined;
    const retryAt = oldestToLeave !== undefined ? oldestToLeave + window : Math.min(...calls.map((call) => call + window).filter((leaves) => leaves > at));
    return blocks('reg-f.call-frequency', `${counted} calls about this debt in ${windowDays} days already: at most ${limit} in any ${windowDays} days (${source}).`, {
      counted,
      limit,
      retryAt,
    });
  },
};

/** No call about a debt within `quietAfterConversationDays` × 24 h after a telephone conversation about it. */
const postConversation: Rule = {
  timeBased: true,
  judge(context, at) {
    if (context.request.channel !== 'call') return undefined;
    const { quietAfterConversationDays: days } = context.config.packs['reg-f'];
    const quiet = days * DAY_MS;
    const recent = callsAboutThisDebt(context).filter((past) => past.isConversation && past.atMs <= at && at < past.atMs + quiet);
    if (recent.length === 0) return undefined;
    const last = Math.max(...recent.map((past) => past.atMs));
    const zone = context.zones[0];
    return blocks(
      'reg-f.post-conversation',
      `A telephone conversation about this debt took place at ${when(last, zone)}: no call about it for ${days} days after one (12 CFR 1006.14(b)(2)(i)(B)).`,
      { retryAt: last + quiet },
    );
  },
};

const quietHours = localWindowRule(
  'reg-f.quiet-hours',
  (config) => ({ from: config.packs['reg-f'].allowedFrom, until: config.packs['reg-f'].allowedUntil }),
  '12 CFR 1006.6(b)(1)(i)',
);

export const REG_F_RULES: readonly Rule[] = [callFrequency, postConversation, quietHours];
