/**
 * The compliance engine's language: what it is asked, what it knows about the debtor, and what it answers.
 * Plain readonly data; the service maps its events and contracts onto these (docs/compliance.md).
 */

export type Channel = 'call' | 'sms' | 'email' | 'letter' | 'visit';
export const CHANNELS: readonly Channel[] = ['call', 'sms', 'email', 'letter', 'visit'];

export type TargetKind = 'phone' | 'email' | 'address' | 'attorney';
export type Purpose = 'collection' | 'final-notice' | 'validation-notice';
export type Outcome = 'no-answer' | 'busy' | 'voicemail' | 'wrong-number' | 'right-party-contact' | 'third-party' | 'refused' | 'dispute-raised' | 'promise-offered';

/** Outcomes in which the collector spoke with the debtor about the debt: what Regulation F calls a telephone conversation. */
export const CONVERSATION_OUTCOMES: readonly Outcome[] = ['right-party-contact', 'refused', 'dispute-raised', 'promise-offered'];

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** ISO-8601 date and time with an offset (`2026-03-02T08:00:00-05:00`, `…Z`): one instant. */
export type Instant = string;
/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A local wall-clock time, `HH:MM` (00:00–23:59). */
export type LocalTime = string;

export interface ContactTarget {
  readonly kind: TargetKind;
  /** An opaque key for the number, address or mailbox (a keyed hash): the engine only compares it. */
  readonly value: string;
  /** Where the target reaches the debtor, when known (`work`, `home`, …): refused if the debtor named it inconvenient. */
  readonly place?: string;
}

/** One outbound contact somebody wants to make, asked before it happens. */
export interface ContactRequest {
  readonly caseId: string;
  /** The debt (account) the contact is about: call caps and post-conversation quiet are per debt. */
  readonly debtId: string;
  readonly debtorId: string;
  readonly channel: Channel;
  readonly target: ContactTarget;
  readonly operatorId: string;
  readonly intendedAt: Instant;
  /** SMS and email: the text to be sent, checked for an opt-out instruction and for prohibited language. */
  readonly messageText?: string;
  /** Default `collection`. */
  readonly purpose?: Purpose;
  /** Calls (and whatever `recordingRequiredFor` names): whether the contact will be recorded. */
  readonly recordingPlanned?: boolean;
}

/** A local period, `from` inclusive to `to` exclusive; `from` after `to` runs over midnight, and then `days` name the day it starts on. */
export interface TimeRange {
  readonly days?: readonly Weekday[];
  readonly from: LocalTime;
  readonly to: LocalTime;
}

export interface ContactFlags {
  /** A dispute; until verified, only the validation notice may go out. */
  readonly dispute?: { readonly verified: boolean };
  readonly ceaseCommunication?: true;
  readonly attorneyRepresented?: true;
  readonly bankruptcy?: true;
  readonly deceased?: true;
  /** No contact up to and including `endsOn` (the debtor's local date). */
  readonly breathingSpace?: { readonly endsOn: LocalDate };
}

export interface ContactPreferences {
  readonly optedOutChannels: readonly Channel[];
  readonly inconvenientTimes: readonly TimeRange[];
  /** Places (or target kinds) the debtor may not be contacted at, matched against `target.place` and `target.kind`. */
  readonly inconvenientPlaces?: readonly string[];
}

/** What the engine knows about the debtor at the moment of the decision. */
export interface ContactProfile {
  /** ISO 3166-1 alpha-2 or 3166-2 code: `US`, `US-CA`, `CN`. */
  readonly jurisdiction: string;
  /**
   * IANA time zones the debtor may be in: one when known, several when not (an area code that spans zones).
   * Empty: every zone the configuration lists for the jurisdiction.
   */
  readonly candidateTimeZones: readonly string[];
  readonly flags: ContactFlags;
  readonly preferences: ContactPreferences;
}

/** One past decided contact of this debtor's (about any of their debts) and what came of it. */
export interface PastContact {
  readonly debtId: string;
  readonly channel: Channel;
  /** The same opaque key as `ContactTarget.value`. */
  readonly targetValue: string;
  readonly at: Instant;
  readonly outcome?: Outcome;
  /** Somebody answered: what the per-day connected-call caps count. */
  readonly connected: boolean;
  /** A conversation about the debt took place; when absent, derived from `outcome` (CONVERSATION_OUTCOMES). */
  readonly conversation?: boolean;
  /** Only allowed contacts happened, so only they count. */
  readonly allowed: boolean;
}

export type ContactHistory = readonly PastContact[];

export type RulePackId = 'reg-f' | 'cn-post-loan';

export type RuleId =
  | 'jurisdiction.unknown'
  | 'profile.time-zone-unknown'
  | 'hold.cease-communication'
  | 'hold.attorney'
  | 'hold.dispute'
  | 'hold.bankruptcy'
  | 'hold.deceased'
  | 'hold.breathing-space'
  | 'pref.channel-opt-out'
  | 'pref.inconvenient-time'
  | 'pref.inconvenient-place'
  | 'msg.text-missing'
  | 'msg.opt-out-missing'
  | 'language.prohibited'
  | 'reg-f.call-frequency'
  | 'reg-f.post-conversation'
  | 'reg-f.quiet-hours'
  | 'cn.quiet-hours'
  | 'cn.connected-calls'
  | 'cn.unanswered-per-number'
  | 'cn.recording'
  | 'info.rule-pack'
  | 'info.time-zones';

/**
 * One rule's say. On a blocked decision every reason blocks; on an allowed decision the reasons record what was
 * checked (counts against limits, the pack, the zones).
 */
export interface ComplianceReason {
  readonly ruleId: RuleId;
  readonly message: string;
  readonly counted?: number;
  readonly limit?: number;
  /** When this rule alone would next allow, in the debtor's local offset. */
  readonly nextAllowedAt?: Instant;
}

export interface ContactDecision {
  readonly allowed: boolean;
  readonly reasons: readonly ComplianceReason[];
  /** Blocked only: the earliest instant every rule would allow, if only time stands in the way; absent when a hold (or anything not time-based) blocks. */
  readonly nextAllowedAt?: Instant;
  /** The rule pack the jurisdiction selected, `none` when it selected none. */
  readonly rulePack: RulePackId | 'none';
  /** The jurisdiction as judged (upper case). */
  readonly jurisdiction: string;
  /** The zones the decision was judged in: the candidates, or every zone listed for the jurisdiction; empty only when none was known. */
  readonly timeZones: readonly string[];
}

export type LanguageCategory = 'threat-violence' | 'threat-arrest' | 'threat-lawsuit-without-basis' | 'threat-home-visit' | 'abuse' | 'third-party-disclosure';
export const LANGUAGE_CATEGORIES: readonly LanguageCategory[] = [
  'threat-violence',
  'threat-arrest',
  'threat-lawsuit-without-basis',
  'threat-home-visit',
  'abuse',
  'third-party-disclosure',
];

/**
 * A term or a pattern to find in text. A `term` matches case-insensitively after Unicode compatibility
 * normalisation, any run of white space in it matching any run in the text, as a whole word where it begins or
 * ends with a letter or digit of a script that separates words with spaces (Latin, Cyrillic, …), anywhere in the
 * text otherwise (Chinese, Japanese, Korean, Thai). A `regex` (JavaScript syntax) is compiled with the flags
 * `giu` and used as it is: it brings its own boundaries.
 */
export type TextPattern = { readonly term: string } | { readonly regex: string };

export type LanguageEntry = TextPattern & {
  readonly category: LanguageCategory;
  /** Reported on a hit; default `language.<category>`. */
  readonly ruleId?: string;
};

export interface LanguageHit {
  readonly ruleId: string;
  readonly category: LanguageCategory;
  /** The text that matched, as it appears in the checked text. */
  readonly term: string;
  /** Where it starts in the checked text (UTF-16 code units, as `String.prototype.slice` counts). */
  readonly index: number;
}

export interface RegFConfig {
  readonly maxCallAttemptsPerDebt: number;
  readonly windowDays: number;
  readonly quietAfterConversationDays: number;
  readonly allowedFrom: LocalTime;
  readonly allowedUntil: LocalTime;
}

export interface CnPostLoanConfig {
  readonly quietFrom: LocalTime;
  readonly quietUntil: LocalTime;
  readonly maxConnectedCallsPerDay: number;
  readonly maxUnansweredPerNumberPerDay: number;
  /** Channels that may be used only with `recordingPlanned: true`. */
  readonly recordingRequiredFor: readonly Channel[];
}

/** Every number and list the engine uses; `DEFAULT_COMPLIANCE_CONFIG` is the documented default. */
export interface ComplianceConfig {
  /**
   * Which pack a jurisdiction gets: an exact code (`CN`, `US-CA`) or a country with `*` (`US*`: `US` and every
   * `US-…`). The exact key wins, then the longest `*` key.
   */
  readonly rulePacks: Readonly<Record<string, RulePackId>>;
  /** A jurisdiction no key matches: `block` refuses every contact (`jurisdiction.unknown`), or a pack to apply. */
  readonly unmatchedJurisdiction: 'block' | RulePackId;
  /** The zones to assume when the debtor's are unknown: by exact code, else by its country (`US-XX` → `US`). */
  readonly jurisdictionTimeZones: Readonly<Record<string, readonly string[]>>;
  /** Channels the time-of-day rules (quiet hours, inconvenient times) apply to. */
  readonly timeOfDayChannels: readonly Channel[];
  readonly holds: {
    /** Under a cease-communication hold, a `final-notice` may still go by these channels. */
    readonly finalNoticeChannelsUnderCease: readonly Channel[];
  };
  readonly messages: {
    /** Channels whose `messageText` must carry an opt-out instruction. */
    readonly optOutRequiredFor: readonly Channel[];
    /** Any one of these in the text is an opt-out instruction. */
    readonly optOutPatterns: readonly TextPattern[];
  };
  readonly language: {
    readonly entries: readonly LanguageEntry[];
  };
  readonly packs: {
    readonly 'reg-f': RegFConfig;
    readonly 'cn-post-loan': CnPostLoanConfig;
  };
}
