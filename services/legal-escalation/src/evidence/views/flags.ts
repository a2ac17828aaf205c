import { ENCRYPTED, sourceOf, type DecodedEvent, type Source } from './decode';

export interface FlagPeriod {
  readonly flag: string;
  readonly set: Source & { readonly reason: string; readonly endsOn: string | null; readonly attorneyContact: string | null; readonly actorId: string };
  readonly cleared: (Source & { readonly reason: string; readonly actorId: string }) | null;
}

/** Every hold and circumstance set on the account, each with when and why it was set and, if so, cleared. */
export interface Flags {
  readonly periods: readonly FlagPeriod[];
  /** Set and not cleared after the last event. */
  readonly active: readonly string[];
}

export function flagsOf(history: readonly DecodedEvent[], accountId: string): Flags {
  const periods: FlagPeriod[] = [];
  for (const decoded of history) {
    if (decoded.envelope.streamId !== `account-${accountId}`) continue;
    const { event } = decoded;
    const actorId = decoded.envelope.metadata.actorId;
    if (event.type === 'AccountFlagged') {
      const { data } = event;
      periods.push({
        flag: data.flag,
        set: { ...sourceOf(decoded), reason: data.reason, endsOn: data.endsOn ?? null, attorneyContact: data.attorneyContact === undefined ? null : ENCRYPTED, actorId },
        cleared: null,
      });
    } else if (event.type === 'FlagCleared') {
      const { data } = event;
      const open = periods.findLastIndex((period) => period.flag === data.flag && period.cleared === null);
      const cleared = { ...sourceOf(decoded), reason: data.reason, actorId };
      if (open >= 0) periods[open] = { ...(periods[open] as FlagPeriod), cleared };
    }
  }
  return { periods, active: [...new Set(periods.filter((period) => period.cleared === null).map((period) => period.flag))].sort() };
}
