import { addDays, localDateTime, startOfLocalDay } from './local-time';
import { blocks, passes, type Rule } from './rules';

/*
 * Holds: flags on the debtor's account that stop collection contact whatever the jurisdiction. Each lifts only when
 * the flag is cleared, except the breathing space, which ends on a date.
 */

const ceaseCommunication: Rule = {
  timeBased: false,
  judge({ profile, request, purpose, config }) {
    if (profile.flags.ceaseCommunication !== true) return undefined;
    const channels = config.holds.finalNoticeChannelsUnderCease;
    if (purpose === 'final-notice' && channels.includes(request.channel)) {
      return passes('hold.cease-communication', `The debtor asked us to stop contacting them; a final notice by ${request.channel} is still allowed.`);
    }
    return blocks(
      'hold.cease-communication',
      `The debtor asked us to stop contacting them (FDCPA 805(c)): only a final notice (purpose final-notice) by ${channels.join(' or ')} may still go out.`,
    );
  },
};

const attorney: Rule = {
  timeBased: false,
  judge({ profile, request }) {
    if (profile.flags.attorneyRepresented !== true) return undefined;
    if (request.target.kind === 'attorney') return passes('hold.attorney', 'The debtor is represented by an attorney; this contact goes to the attorney.');
    return blocks('hold.attorney', 'The debtor is represented by an attorney (12 CFR 1006.6(b)(2)): contact the attorney (a target of kind attorney), not the debtor.');
  },
};

const dispute: Rule = {
  timeBased: false,
  judge({ profile, purpose }) {
    if (profile.flags.dispute === undefined || profile.flags.dispute.verified) return undefined;
    if (purpose === 'validation-notice') return passes('hold.dispute', 'The debt is disputed; the validation notice may still go out.');
    return blocks('hold.dispute', 'The debt is disputed and not yet verified (FDCPA 809(b)): collection stops until verification; only the validation notice (purpose validation-notice) may go out.');
  },
};

const bankruptcy: Rule = {
  timeBased: false,
  judge({ profile }) {
    if (profile.flags.bankruptcy !== true) return undefined;
    return blocks('hold.bankruptcy', 'The debtor is in bankruptcy: the automatic stay forbids collection contact. Refer the case to legal.');
  },
};

const deceased: Rule = {
  timeBased: false,
  judge({ profile }) {
    if (profile.flags.deceased !== true) return undefined;
    return blocks('hold.deceased', 'The debtor is recorded as deceased: no collection contact. Refer the case to the estate process.');
  },
};

/** With no zone known, the date in the last zone on Earth to leave it (UTC−12): never lifted early anywhere. */
const LATEST_ZONE = 'Etc/GMT+12';

const breathingSpace: Rule = {
  timeBased: true,
  judge({ profile, zones }, at) {
    const space = profile.flags.breathingSpace;
    if (space === undefined) return undefined;
    const judgedIn = zones.length === 0 ? [LATEST_ZONE] : zones;
    if (judgedIn.every((zone) => localDateTime(at, zone).date > space.endsOn)) return undefined;
    let retryAt = 0;
    let retryZone = LATEST_ZONE;
    for (const zone of judgedIn) {
      const lifted = startOfLocalDay(addDays(space.endsOn, 1), zone);
      if (lifted > retryAt) [retryAt, retryZone] = [lifted, zone];
    }
    return blocks('hold.breathing-space', `The debtor is in a breathing space up to and including ${space.endsOn} (local date): no collection contact until it ends.`, {
      retryAt,
      zone: retryZone,
    });
  },
};

export const HOLD_RULES: readonly Rule[] = [ceaseCommunication, attorney, dispute, bankruptcy, deceased, breathingSpace];
