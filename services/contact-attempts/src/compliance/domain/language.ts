import { compilePattern, findMatches, normaliseText } from './text-patterns';
import type { ComplianceConfig, LanguageEntry, LanguageHit } from './types';

interface CompiledEntry {
  readonly entry: LanguageEntry;
  readonly pattern: RegExp;
}

// Compiled once per configuration object: a decision checks every message against the whole list.
const compiled = new WeakMap<ComplianceConfig['language'], readonly CompiledEntry[]>();

function entriesOf(language: ComplianceConfig['language']): readonly CompiledEntry[] {
  let entries = compiled.get(language);
  if (entries === undefined) {
    entries = language.entries.map((entry) => ({ entry, pattern: compilePattern(entry) }));
    compiled.set(language, entries);
  }
  return entries;
}

/**
 * Prohibited language in a message, script, note or transcript: threats, false legal claims, abuse, disclosure
 * to third parties. Every hit, in the order it appears; a span two entries of one category both match is reported
 * once. The list is `config.language.entries` (docs/compliance.md, "Prohibited language").
 */
export function checkLanguage(text: string, config: Pick<ComplianceConfig, 'language'>): { readonly hits: readonly LanguageHit[] } {
  const normalised = normaliseText(text);
  const hits: LanguageHit[] = [];
  const seen = new Set<string>();
  for (const { entry, pattern } of entriesOf(config.language)) {
    for (const match of findMatches(pattern, normalised)) {
      const key = `${entry.category}:${match.index}:${match.text.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push({ ruleId: entry.ruleId ?? `language.${entry.category}`, category: entry.category, term: match.text, index: match.index });
    }
  }
  return { hits: hits.sort((a, b) => a.index - b.index || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)) };
}
