import { isValidSubject, subjectIsSubsetOf, subjectMatches, subjectsOverlap } from './subjects';

describe('NATS subjects', () => {
  it('matches `*` to one token and a final `>` to one or more', () => {
    expect(subjectMatches('a.*.c', 'a.b.c')).toBe(true);
    expect(subjectMatches('a.*.c', 'a.b.d')).toBe(false);
    expect(subjectMatches('a.*', 'a.b.c')).toBe(false);
    expect(subjectMatches('a.>', 'a.b.c')).toBe(true);
    expect(subjectMatches('a.>', 'a')).toBe(false);
    expect(subjectMatches('>', 'a')).toBe(true);
    expect(subjectMatches('a.b', 'a.b')).toBe(true);
    expect(subjectMatches('a.b', 'a.b.c')).toBe(false);
  });

  it('tells valid subjects and filters from invalid ones', () => {
    expect(isValidSubject('arrears.evt.accounts.AccountPlaced', false)).toBe(true);
    expect(isValidSubject('a.*.>', true)).toBe(true);
    expect(isValidSubject('a.>.b', true)).toBe(false);
    expect(isValidSubject('a..b', true)).toBe(false);
    expect(isValidSubject('a b', true)).toBe(false);
    expect(isValidSubject('a.*', false)).toBe(false);
  });

  it('knows when two filters can take the same subject, and when one takes all of the other', () => {
    expect(subjectsOverlap('a.>', 'a.b.*')).toBe(true);
    expect(subjectsOverlap('a.*', 'b.*')).toBe(false);
    expect(subjectsOverlap('a.*', 'a.b.c')).toBe(false);
    expect(subjectIsSubsetOf('a.b.c', 'a.>')).toBe(true);
    expect(subjectIsSubsetOf('a.*', 'a.>')).toBe(true);
    expect(subjectIsSubsetOf('a.>', 'a.*')).toBe(false);
  });
});
