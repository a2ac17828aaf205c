import { blocks, localDays, localWindowRule, passes, zoneUnknown, type PastAttempt, type Rule, type RuleContext } from './rules';
import type { RuleId } from './types';

/*
 * China's post-loan collection numbers (docs/compliance.md): quiet at night, daily caps per debtor and per number,
 * calls recorded. A "day" is the debtor's local calendar day; with several candidate zones, each zone's day counts.
 */

function dailyCap(ruleId: RuleId, limitOf: (context: RuleContext) => number, counts: (past: PastAttempt, context: RuleContext) => boolean, what: string, source: string): Rule {
  return {
    timeBased: true,
    judge(context, at) {
      if (context.request.channel !== 'call') return undefined;
      if (context.zones.length === 0) return zoneUnknown(context);
      const limit = limitOf(context);
      const days = localDays(at, context.zones).map((day) => ({
        ...day,
        counted: context.history.filter((past) => past.channel === 'call' && past.atMs >= day.start && past.atMs < day.end && counts(past, context)).length,
      }));
      const counted = Math.max(...days.map((day) => day.counted));
      if (counted < limit) return passes(ruleId, `${counted} of at most ${limit} ${what} today.`, { counted, limit });
      const full = days.filter((day) => day.counted >= limit).sort((a, b) => b.end - a.end)[0];
      return blocks(ruleId, `${counted} ${what} today already: at most ${limit} a day (${source}).`, {
        counted,
        limit,
        ...(full === undefined ? {} : { retryAt: full.end, zone: full.zone }),
      });
    },
  };
}

const SOURCE = 'China post-loan collection guideline';

const quietHours = localWindowRule(
  'cn.quiet-hours',
  (config) => ({ from: config.packs['cn-post-loan'].quietUntil, until: config.packs['cn-post-loan'].quietFrom }),
  `${SOURCE}: no contact at night`,
);

const connectedCalls = dailyCap(
  'cn.connected-calls',
  (context) => context.config.packs['cn-post-loan'].maxConnectedCallsPerDay,
  (past) => past.connected,
  'connected calls with this debtor',
  SOURCE,
);

const unansweredPerNumber = dailyCap(
  'cn.unanswered-per-number',
  (context) => context.config.packs['cn-post-loan'].maxUnansweredPerNumberPerDay,
  (past, context) => !past.connected && past.targetValue === context.request.target.value,
  'unanswered calls to this number',
  SOURCE,
);

const recording: Rule = {
  timeBased: false,
  judge({ request, config }) {
    if (!config.packs['cn-post-loan'].recordingRequiredFor.includes(request.channel)) return undefined;
    if (request.recordingPlanned === true) return passes('cn.recording', `The ${request.channel} will be recorded.`);
    return blocks('cn.recording', `A ${request.channel} must be recorded (${SOURCE}): turn recording on and ask again with recordingPlanned.`);
  },
};

export const CN_POST_LOAN_RULES: readonly Rule[] = [quietHours, connectedCalls, unansweredPerNumber, recording];
