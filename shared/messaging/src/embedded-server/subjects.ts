/** NATS subject rules: tokens split by `.`, `*` matches one token, `>` (last only) matches one or more. */

export function isValidSubject(subject: string, allowWildcards: boolean): boolean {
  if (subject === '' || /\s/.test(subject)) return false;
  const tokens = subject.split('.');
  return tokens.every((token, index) => {
    if (token === '') return false;
    if (token === '>') return allowWildcards && index === tokens.length - 1;
    if (token === '*') return allowWildcards;
    return true;
  });
}

/** Whether a published (literal) subject falls under a filter that may hold wildcards. */
export function subjectMatches(filter: string, subject: string): boolean {
  if (filter === subject) return true;
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return f.length === s.length;
}

/** Whether some literal subject could match both filters. */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === '>' || q === '>') return p !== undefined && q !== undefined;
    if (p === undefined || q === undefined) return false;
    if (p !== '*' && q !== '*' && p !== q) return false;
  }
  return true;
}

/** Whether every subject `inner` can match is also matched by `outer`. */
export function subjectIsSubsetOf(inner: string, outer: string): boolean {
  const i = inner.split('.');
  const o = outer.split('.');
  for (let n = 0; n < o.length; n++) {
    const token = o[n];
    if (token === '>') return i.length > n;
    const mine = i[n];
    if (mine === undefined || mine === '>') return false;
    if (token !== '*' && (mine === '*' || mine !== token)) return false;
  }
  return i.length === o.length;
}
