import { checkLanguage } from './language';
import { blocks, passes, type Rule } from './rules';
import { compilePattern, findMatches, normaliseText } from './text-patterns';
import type { Channel, ComplianceConfig, LanguageHit } from './types';

/* What a text or email says: an opt-out instruction it must carry, language it must not use. */

const compiledOptOuts = new WeakMap<ComplianceConfig['messages'], readonly RegExp[]>();

function optOutPatterns(messages: ComplianceConfig['messages']): readonly RegExp[] {
  let patterns = compiledOptOuts.get(messages);
  if (patterns === undefined) {
    patterns = messages.optOutPatterns.map(compilePattern);
    compiledOptOuts.set(messages, patterns);
  }
  return patterns;
}

const NAMES: Readonly<Record<Channel, string>> = { call: 'call', sms: 'SMS', email: 'email', letter: 'letter', visit: 'visit' };

const hasText = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

const textMissing: Rule = {
  timeBased: false,
  judge({ request, config }) {
    if (!config.messages.optOutRequiredFor.includes(request.channel) || hasText(request.messageText)) return undefined;
    return blocks('msg.text-missing', `The text of this ${NAMES[request.channel]} is checked before it is sent: give it as messageText.`);
  },
};

const optOut: Rule = {
  timeBased: false,
  judge({ request, config }) {
    if (!config.messages.optOutRequiredFor.includes(request.channel) || !hasText(request.messageText)) return undefined;
    const text = normaliseText(request.messageText);
    if (optOutPatterns(config.messages).some((pattern) => findMatches(pattern, text).length > 0)) {
      return passes('msg.opt-out-missing', 'The text tells the debtor how to opt out.');
    }
    return blocks(
      'msg.opt-out-missing',
      `Every ${NAMES[request.channel]} must tell the debtor how to opt out (12 CFR 1006.6(e)), e.g. "Reply STOP to opt out", "unsubscribe", "回复TD退订": none found in the text.`,
    );
  },
};

const MAX_LISTED_HITS = 5;

function listHits(hits: readonly LanguageHit[]): string {
  const listed = hits.slice(0, MAX_LISTED_HITS).map((hit) => `"${hit.term.slice(0, 60)}" (${hit.category}) at ${hit.index}`);
  return listed.join('; ') + (hits.length > MAX_LISTED_HITS ? `; and ${hits.length - MAX_LISTED_HITS} more` : '');
}

const prohibitedLanguage: Rule = {
  timeBased: false,
  judge({ request, config }) {
    if (!hasText(request.messageText)) return undefined;
    const { hits } = checkLanguage(request.messageText, config);
    if (hits.length === 0) return passes('language.prohibited', 'No prohibited language in the text.', { counted: 0, limit: 0 });
    return blocks('language.prohibited', `The text contains prohibited language: ${listHits(hits)}. Rewrite it without threats, false legal claims, abuse or mention of third parties.`, {
      counted: hits.length,
      limit: 0,
    });
  },
};

export const MESSAGE_RULES: readonly Rule[] = [textMissing, optOut, prohibitedLanguage];
