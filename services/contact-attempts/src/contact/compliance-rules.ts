import type { accounts } from '@arrears/contracts';
import { checkLanguage, decideContact, type ComplianceConfig, type ContactFlags } from '../compliance';
import type { DebtorProfile } from './domain/debtor-profile';
import type { ComplianceRules } from './domain/rules';

/** The compliance engine under one configuration, as the contact decider asks for it. */
export function complianceRules(config: ComplianceConfig): ComplianceRules {
  return {
    check({ request, profile, preferences, history }) {
      const decision = decideContact(
        {
          caseId: request.accountId,
          debtId: request.accountId,
          debtorId: request.debtorId,
          channel: request.channel,
          target: { kind: request.targetKind, value: request.targetKey },
          operatorId: request.operatorId,
          intendedAt: request.intendedAt,
          purpose: request.purpose,
          ...(request.messageText === undefined ? {} : { messageText: request.messageText }),
          ...(request.recordingPlanned === undefined ? {} : { recordingPlanned: request.recordingPlanned }),
        },
        {
          jurisdiction: profile.jurisdiction,
          candidateTimeZones: profile.timeZone === undefined ? [] : [profile.timeZone],
          flags: contactFlags(profile.flags),
          preferences: { optedOutChannels: preferences.optedOutChannels, inconvenientTimes: preferences.inconvenientTimes, inconvenientPlaces: preferences.inconvenientPlaces },
        },
        history.map((attempt) => ({
          debtId: attempt.accountId,
          channel: attempt.channel,
          targetValue: attempt.targetKey,
          at: attempt.at,
          ...(attempt.outcome === undefined ? {} : { outcome: attempt.outcome }),
          connected: attempt.connected,
          conversation: attempt.conversation,
          allowed: attempt.allowed,
        })),
        config,
      );
      return {
        allowed: decision.allowed,
        rulePack: decision.rulePack,
        timeZones: decision.timeZones,
        reasons: decision.reasons,
        ...(decision.nextAllowedAt === undefined ? {} : { nextAllowedAt: decision.nextAllowedAt }),
      };
    },
    languageHits(text) {
      return checkLanguage(text, config).hits.map(({ ruleId, category, term }) => ({ ruleId, category, term }));
    },
  };
}

/** The account's flags as holds: a dispute on the account is pending until the flag is cleared (verified or withdrawn). */
function contactFlags(flags: DebtorProfile['flags']): ContactFlags {
  const has = (flag: accounts.Flag) => flags[flag] !== undefined;
  const endsOn = flags['breathing-space']?.endsOn;
  return {
    ...(has('dispute') ? { dispute: { verified: false } } : {}),
    ...(has('cease-communication') ? { ceaseCommunication: true as const } : {}),
    ...(has('attorney-represented') ? { attorneyRepresented: true as const } : {}),
    ...(has('bankruptcy') ? { bankruptcy: true as const } : {}),
    ...(has('deceased') ? { deceased: true as const } : {}),
    ...(has('breathing-space') && endsOn !== undefined ? { breathingSpace: { endsOn } } : {}),
  };
}
