import { readFileSync } from 'node:fs';
import { ArrearsError, ErrorCode, validationFailed } from '@arrears/contracts';
import { z } from 'zod';
import { DEFAULT_COMPLIANCE_CONFIG } from './domain/default-config';
import { isValidTimeZone } from './domain/local-time';
import { compilePattern } from './domain/text-patterns';
import { CHANNELS, LANGUAGE_CATEGORIES, type ComplianceConfig, type LanguageEntry, type TextPattern } from './domain/types';

export const COMPLIANCE_CONFIG_ENV = 'ARREARS_COMPLIANCE_CONFIG';

const channel = z.enum(CHANNELS as [ComplianceConfig['timeOfDayChannels'][number], ...ComplianceConfig['timeOfDayChannels']]);
const channels = z.array(channel).refine((list) => new Set(list).size === list.length, 'must not name a channel twice');
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');
const count = z.number().int().min(1).max(1_000);
const days = z.number().int().min(1).max(366);
const packId = z.enum(['reg-f', 'cn-post-loan']);
const zone = z.string().refine(isValidTimeZone, 'must be an IANA time zone (America/New_York)');
const jurisdictionKey = z.string().regex(/^[A-Z]{2}(?:\*|-[A-Z0-9]{1,3})?$/, 'must be an ISO 3166 code (CN, US-CA) or a country with * (US*)');

const regex = z.string().superRefine((source, context) => {
  let compiled: RegExp;
  try {
    compiled = compilePattern({ regex: source });
  } catch (error) {
    context.addIssue({ code: 'custom', message: `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})` });
    return;
  }
  if (compiled.test('')) context.addIssue({ code: 'custom', message: 'must not match empty text' });
});

const patternFields = { term: z.string().trim().min(1).max(200).optional(), regex: regex.optional() };
const oneOfTermOrRegex = (pattern: { term?: string | undefined; regex?: string | undefined }) => (pattern.term === undefined) !== (pattern.regex === undefined);
const ONE_OF = { message: 'needs exactly one of term or regex' };

const textPattern = z.object(patternFields).strict().refine(oneOfTermOrRegex, ONE_OF);
const languageEntry = z
  .object({
    ...patternFields,
    category: z.enum(LANGUAGE_CATEGORIES as [LanguageEntry['category'], ...LanguageEntry['category'][]]),
    ruleId: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'must be a rule id such as language.threat-arrest').optional(),
  })
  .strict()
  .refine(oneOfTermOrRegex, ONE_OF);

/** A configuration file: any part of the configuration, the rest from the defaults (docs/compliance.md, "Configuration"). */
const ComplianceFileSchema = z
  .object({
    /** Keys added or replaced; `null` removes a default key. */
    rulePacks: z.record(jurisdictionKey, packId.nullable()).optional(),
    unmatchedJurisdiction: z.union([z.literal('block'), packId]).optional(),
    jurisdictionTimeZones: z.record(jurisdictionKey, z.array(zone).min(1).nullable()).optional(),
    timeOfDayChannels: channels.optional(),
    holds: z.object({ finalNoticeChannelsUnderCease: channels }).partial().strict().optional(),
    messages: z
      .object({ optOutRequiredFor: channels, optOutPatterns: z.array(textPattern).min(1), addOptOutPatterns: z.array(textPattern) })
      .partial()
      .strict()
      .optional(),
    language: z.object({ entries: z.array(languageEntry), addEntries: z.array(languageEntry) }).partial().strict().optional(),
    packs: z
      .object({
        'reg-f': z
          .object({ maxCallAttemptsPerDebt: count, windowDays: days, quietAfterConversationDays: z.number().int().min(0).max(366), allowedFrom: localTime, allowedUntil: localTime })
          .partial()
          .strict(),
        'cn-post-loan': z
          .object({ quietFrom: localTime, quietUntil: localTime, maxConnectedCallsPerDay: count, maxUnansweredPerNumberPerDay: count, recordingRequiredFor: channels })
          .partial()
          .strict(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

/** The defaults, overridden by the JSON file `ARREARS_COMPLIANCE_CONFIG` names; a bad file is refused naming the field. */
export function complianceConfig(env: NodeJS.ProcessEnv = process.env): ComplianceConfig {
  const file = env[COMPLIANCE_CONFIG_ENV];
  if (file === undefined || file === '') return DEFAULT_COMPLIANCE_CONFIG;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${COMPLIANCE_CONFIG_ENV}: cannot read ${file} as JSON (${error instanceof Error ? error.message : String(error)})`, {
      field: COMPLIANCE_CONFIG_ENV,
    });
  }
  return mergeComplianceConfig(json);
}

/** `json` (a configuration file's content) over `base` (the defaults). */
export function mergeComplianceConfig(json: unknown, base: ComplianceConfig = DEFAULT_COMPLIANCE_CONFIG): ComplianceConfig {
  const parsed = ComplianceFileSchema.safeParse(json);
  if (!parsed.success) throw validationFailed(parsed.error, 'compliance');
  const file = parsed.data;
  const regF = { ...base.packs['reg-f'], ...file.packs?.['reg-f'] };
  const cn = { ...base.packs['cn-post-loan'], ...file.packs?.['cn-post-loan'] };
  const merged: ComplianceConfig = {
    rulePacks: mergeKeys(base.rulePacks, file.rulePacks),
    unmatchedJurisdiction: file.unmatchedJurisdiction ?? base.unmatchedJurisdiction,
    jurisdictionTimeZones: mergeKeys(base.jurisdictionTimeZones, file.jurisdictionTimeZones),
    timeOfDayChannels: file.timeOfDayChannels ?? base.timeOfDayChannels,
    holds: { ...base.holds, ...file.holds },
    messages: {
      optOutRequiredFor: file.messages?.optOutRequiredFor ?? base.messages.optOutRequiredFor,
      optOutPatterns: [...(file.messages?.optOutPatterns?.map(pattern) ?? base.messages.optOutPatterns), ...(file.messages?.addOptOutPatterns?.map(pattern) ?? [])],
    },
    language: { entries: [...(file.language?.entries?.map(entry) ?? base.language.entries), ...(file.language?.addEntries?.map(entry) ?? [])] },
    packs: { 'reg-f': regF, 'cn-post-loan': cn },
  };
  refuseEmptyWindow(regF.allowedFrom, regF.allowedUntil, 'compliance.packs.reg-f.allowedUntil');
  refuseEmptyWindow(cn.quietFrom, cn.quietUntil, 'compliance.packs.cn-post-loan.quietUntil');
  return merged;
}

function refuseEmptyWindow(from: string, to: string, field: string): void {
  if (from === to) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: must differ from the start of the window (${from})`, { field });
}

function mergeKeys<T>(base: Readonly<Record<string, T>>, file: Readonly<Record<string, T | null>> | undefined): Record<string, T> {
  const merged: Record<string, T> = { ...base };
  for (const [key, value] of Object.entries(file ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

// zod's output has optional keys that may hold undefined; the engine's patterns hold exactly one of them.
function pattern(parsed: { term?: string | undefined; regex?: string | undefined }): TextPattern {
  return parsed.term !== undefined ? { term: parsed.term } : { regex: parsed.regex ?? '' };
}

function entry(parsed: z.infer<typeof languageEntry>): LanguageEntry {
  return { ...pattern(parsed), category: parsed.category, ...(parsed.ruleId === undefined ? {} : { ruleId: parsed.ruleId }) };
}
