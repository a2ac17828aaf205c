import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { canonicalFromJsonbText, topLevelMember, topLevelString } from './jsonb-text';

/**
 * PostgreSQL's `jsonb_out`, for the properties below: keys by length in bytes and then bytewise, `": "` and `", "`
 * between the parts, strings escaped as JSON.stringify escapes them. Numbers are written by `number`, which may write
 * them as PostgreSQL's numeric does (`1.0`, `1000000000000000000000`, `0.00000015`).
 */
function jsonbOut(value: unknown, number: (value: number) => string = JSON.stringify): string {
  if (Array.isArray(value)) return `[${value.map((item) => jsonbOut(item, number)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((key) => `${JSON.stringify(key)}: ${jsonbOut(record[key], number)}`).join(', ')}}`;
  }
  return typeof value === 'number' ? number(value) : JSON.stringify(value);
}

/** What verification did before: parse the text and write it canonically. */
const parsedAndWritten = (text: string) => canonicalJson(JSON.parse(text));

// Keys that sort differently by bytes, by code points and by code units, that prefix each other, that look like
// array indices, and that are special to objects.
const awkwardKey = fc.constantFrom('a', 'a b', 'a!', 'ab', 'B', '10', '9', '', 'é', '\ue000', '😀', '__proto__', 'constructor', 'trace');
const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), awkwardKey);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** Ways PostgreSQL's numeric may write a number that JSON.stringify writes otherwise. */
const numericForms = (value: number) =>
  Number.isInteger(value) && Math.abs(value) < 1e21 ? [`${BigInt(value)}`, `${BigInt(value)}.0`, `${BigInt(value)}.000`] : [value.toPrecision(17), JSON.stringify(value)];

describe('canonical JSON from jsonb text', () => {
  it('is what parsing the text and writing it canonically gives, for any value as jsonb_out writes it (property)', () => {
    fc.assert(
      fc.property(json, fc.nat(2), (value, form) => {
        const text = jsonbOut(value, (number) => numericForms(number)[form % numericForms(number).length] as string);
        const fast = canonicalFromJsonbText(text);
        if (fast !== undefined) expect(fast).toBe(parsedAndWritten(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives up only on keys with escapes (and numbers beyond a double), so events take the fast way', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = jsonbOut(value);
        const keyWithEscape = /"(?:[^"\\]|\\.)*\\(?:[^"\\]|\\.)*": /.test(text);
        if (!keyWithEscape) expect(canonicalFromJsonbText(text)).toBe(parsedAndWritten(text));
      }),
      { numRuns: 1_000 },
    );
  });

  it('sorts keys by UTF-16 code units, a key before the longer keys that start with it', () => {
    const text = jsonbOut({ 'a b': 1, a: 2, 'a!': 3, ab: 4, '10': 5, '9': 6, '😀': 7, '\ue000': 8, '': 9 });
    expect(canonicalFromJsonbText(text)).toBe('{"":9,"10":5,"9":6,"a":2,"a b":1,"a!":3,"ab":4,"😀":7,"\ue000":8}');
    expect(canonicalFromJsonbText(text)).toBe(parsedAndWritten(text));
  });

  it('writes numbers as JSON does, keeping plain integers as they are', () => {
    expect(canonicalFromJsonbText('[1, -5, 0, -0, 1.0, 1.50, 100000000000000000000, 1000000000000000000000, 0.00000015, 123456789012345678]')).toBe(
      '[1,-5,0,0,1,1.5,100000000000000000000,1e+21,1.5e-7,123456789012345680]',
    );
  });

  it('gives up where the parser must decide: escaped keys, numbers beyond a double, text jsonb_out does not write', () => {
    expect(canonicalFromJsonbText('{"a\\"b": 1}')).toBeUndefined();
    expect(canonicalFromJsonbText('{"a": 1e400}')).toBeUndefined();
    expect(canonicalFromJsonbText('{"a":1}')).toBeUndefined();
    expect(canonicalFromJsonbText('{"a": 1,"b": 2}')).toBeUndefined();
    expect(canonicalFromJsonbText('{"a": 1} ')).toBeUndefined();
    expect(canonicalFromJsonbText('{"a": +1}')).toBeUndefined();
    expect(canonicalFromJsonbText('{"a": tru}')).toBeUndefined();
    expect(canonicalFromJsonbText('{"a": "open}')).toBeUndefined();
    // Escapes in values are kept as they are: jsonb_out writes them as JSON.stringify does.
    expect(canonicalFromJsonbText('{"b": "x\\"y\\n\\u0001", "a": "\\\\"}')).toBe('{"a":"\\\\","b":"x\\"y\\n\\u0001"}');
  });

  it('leaves out the top-level member it is told to, and only there', () => {
    expect(canonicalFromJsonbText('{"trace": {"trace": 1}, "caseId": "c"}', 'trace')).toBe('{"caseId":"c"}');
    expect(canonicalFromJsonbText('{"x": {"trace": 1}}', 'trace')).toBe('{"x":{"trace":1}}');
  });

  it('keeps the top-level members of the last text for the caller to read', () => {
    canonicalFromJsonbText('{"caseId": "c\\u0041", "actorId": "a", "count": 3, "inner": {"caseId": "no"}}');
    expect(topLevelString('caseId')).toBe('cA');
    expect(topLevelString('actorId')).toBe('a');
    expect(topLevelString('count')).toBeUndefined();
    expect(topLevelMember('count')).toBe('3');
    expect(topLevelMember('missing')).toBeUndefined();
    canonicalFromJsonbText('[{"caseId": "inside an array"}]');
    expect(topLevelMember('caseId')).toBeUndefined();
  });
});
