import { addDays, localDateTime, nextLocalTime, timeOfDayMs, weekdayOf, type LocalDateTime } from './local-time';
import { blocks, passes, timeRuleApplies, zoneUnknown, type Rule } from './rules';
import type { TimeRange } from './types';

/* What the debtor told us: channels they opted out of, times and places that are inconvenient for them. */

const channelOptOut: Rule = {
  timeBased: false,
  judge({ profile, request }) {
    if (!profile.preferences.optedOutChannels.includes(request.channel)) return undefined;
    return blocks('pref.channel-opt-out', `The debtor opted out of ${request.channel}: use another channel they have not opted out of.`);
  },
};

const inconvenientPlace: Rule = {
  timeBased: false,
  judge({ profile, request }) {
    const places = profile.preferences.inconvenientPlaces ?? [];
    const refused = [request.target.place, request.target.kind].find((label) => label !== undefined && places.includes(label));
    if (refused === undefined) return undefined;
    return blocks('pref.inconvenient-place', `The debtor said contact at ${refused} is inconvenient (12 CFR 1006.6(b)(1)(i)): use a target that does not reach them there.`);
  },
};

/** Whether `local` falls in `range`; a range over midnight belongs to the day it starts on, and `from` = `to` is the whole day. */
export function inRange(range: TimeRange, local: LocalDateTime): boolean {
  const from = timeOfDayMs(range.from);
  const to = timeOfDayMs(range.to);
  const onDay = (day: string): boolean => range.days === undefined || range.days.includes(weekdayOf(day));
  if (from < to) return onDay(local.date) && local.msOfDay >= from && local.msOfDay < to;
  return (onDay(local.date) && local.msOfDay >= from) || (onDay(addDays(local.date, -1)) && local.msOfDay < to);
}

function describe(range: TimeRange): string {
  return `${range.from}–${range.to}${range.days === undefined ? '' : ` on ${range.days.join(', ')}`}`;
}

const inconvenientTime: Rule = {
  timeBased: true,
  judge(context, at) {
    const ranges = context.profile.preferences.inconvenientTimes;
    if (ranges.length === 0 || !timeRuleApplies(context)) return undefined;
    if (context.zones.length === 0) return zoneUnknown(context);
    let retryAt = 0;
    let retryZone: string | undefined;
    const hits: string[] = [];
    for (const zone of context.zones) {
      const local = localDateTime(at, zone);
      for (const range of ranges) {
        if (!inRange(range, local)) continue;
        hits.push(`${describe(range)} (it is ${local.time} ${local.weekday} in ${zone})`);
        const ends = nextLocalTime(at, range.to, zone);
        if (ends > retryAt) [retryAt, retryZone] = [ends, zone];
      }
    }
    if (hits.length === 0) return passes('pref.inconvenient-time', 'Outside every time the debtor said is inconvenient.');
    return blocks('pref.inconvenient-time', `The debtor said this time is inconvenient (12 CFR 1006.6(b)(1)(i)): ${hits.join('; ')}.`, {
      retryAt,
      ...(retryZone === undefined ? {} : { zone: retryZone }),
    });
  },
};

export const PREFERENCE_RULES: readonly Rule[] = [channelOptOut, inconvenientPlace, inconvenientTime];
