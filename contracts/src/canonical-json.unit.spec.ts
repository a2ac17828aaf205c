import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/**
 * The obvious definition, for the property below: sort every object's keys and write it out. (Not through an object
 * and JSON.stringify: an engine puts integer-like keys such as "0" first, whatever order they were added in.)
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives one text for one value, whatever order the keys were written in (as jsonb gives them back)', () => {
    const written = { eventId: 'e', data: { minor: 100, currency: 'USD' }, metadata: { caseId: 'c', actorId: 'a' } };
    const reordered = { metadata: { actorId: 'a', caseId: 'c' }, data: { currency: 'USD', minor: 100 }, eventId: 'e' };
    expect(canonicalJson(reordered)).toBe(canonicalJson(written));
  });

  it('sorts keys by UTF-16 code units and writes numbers and strings as RFC 8785 does', () => {
    expect(canonicalJson({ '\u00e9': 1, z: 2, A: 3, '\ud83d\ude00': 4 })).toBe('{"A":3,"z":2,"\u00e9":1,"\ud83d\ude00":4}');
    expect(canonicalJson([1e21, 1.5, -0, 0.1, 100])).toBe('[1e+21,1.5,0,0.1,100]');
    expect(canonicalJson('line\nbreak "quoted" \u2028')).toBe('"line\\nbreak \\"quoted\\" \u2028"');
  });

  it('leaves out properties that are undefined, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson({ b: 1, a: undefined, c: 2 })).toBe('{"b":1,"c":2}');
  });

  it('sorts integer-like keys as text too, though the engine lists them first and in numeric order', () => {
    expect(canonicalJson({ b: 1, '10': 2, '9': 3, '': 4 })).toBe('{"":4,"10":2,"9":3,"b":1}');
  });

  it.each([
    ['NaN', { amount: Number.NaN }, '$.amount is NaN'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0] is Infinity'],
    ['a Date', { at: new Date(0) }, '$.at is a Date'],
    ['a Buffer', { bytes: Buffer.from('x') }, '$.bytes is a Buffer'],
    ['undefined in an array', [1, undefined], '$[1] is undefined'],
    ['a bigint', { n: 1n }, '$.n is a bigint'],
    ['something deep', { data: { lines: [{ ok: 1 }, { at: new Map() }] } }, '$.data.lines[1].at is a Map'],
  ])('refuses %s rather than writing something else, naming where', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('is the sorted JSON.stringify for every JSON value (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === reference(value)), { numRuns: 500 });
  });
});
