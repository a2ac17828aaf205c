import type { TextPattern } from './types';

/*
 * Finding terms in text the way a reader would: case-insensitively, full-width and other compatibility forms
 * folded (ＳＴＯＰ is STOP), Latin-script terms as whole words, Chinese terms anywhere. Matching runs on a
 * normalised copy; every match is mapped back to where it is in the original text.
 */

/** Scripts written without spaces between words: a term in them matches anywhere, not only as a whole word. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}\\p{M}_])';
const NOT_BEFORE_WORD = '(?![\\p{L}\\p{N}\\p{M}_])';

export interface NormalisedText {
  readonly original: string;
  readonly text: string;
  /** The normalised code unit `i` came from `original.slice(starts[i], ends[i])`. */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** NFKC, one cluster (a character and its combining marks) at a time, keeping where each came from. */
export function normaliseText(original: string): NormalisedText {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of original.matchAll(/\P{M}\p{M}*|\p{M}+/gsu)) {
    const normalised = match[0].normalize('NFKC');
    for (let unit = 0; unit < normalised.length; unit += 1) {
      starts.push(match.index);
      ends.push(match.index + match[0].length);
    }
    text += normalised;
  }
  return { original, text, starts, ends };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); // the characters unicode-mode patterns allow escaped
}

/** The source of the regular expression a term stands for (see `TextPattern`). */
export function termSource(term: string): string {
  const normalised = term.normalize('NFKC').trim();
  const body = normalised
    .split(/\s+/u)
    .map(escapeRegex)
    .join('\\s+');
  const first = [...normalised][0] ?? '';
  const last = [...normalised].at(-1) ?? '';
  const before = WORD_CHAR.test(first) && !UNSPACED.test(first) ? NOT_AFTER_WORD : '';
  const after = WORD_CHAR.test(last) && !UNSPACED.test(last) ? NOT_BEFORE_WORD : '';
  return `${before}${body}${after}`;
}

export function patternSource(pattern: TextPattern): string {
  return 'term' in pattern ? termSource(pattern.term) : pattern.regex;
}

/** Compiles a pattern as the engine uses it; throws SyntaxError for a bad regex. */
export function compilePattern(pattern: TextPattern): RegExp {
  return new RegExp(patternSource(pattern), 'giu');
}

export interface TextMatch {
  readonly index: number;
  readonly text: string;
}

/** Every non-empty match of `pattern` in `text`, with its place and wording in the original text. */
export function findMatches(pattern: RegExp, text: NormalisedText): TextMatch[] {
  const matches: TextMatch[] = [];
  for (const match of text.text.matchAll(pattern)) {
    if (match[0].length === 0) continue;
    const start = text.starts[match.index] ?? 0;
    const end = text.ends[match.index + match[0].length - 1] ?? text.original.length;
    matches.push({ index: start, text: text.original.slice(start, end) });
  }
  return matches;
}
