import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

describe('canonical JSON', () => {
  it('sorts keys at every depth and leaves out insignificant whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: true } })).toBe('{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}');
  });

  it('gives one text for one value, whatever order its keys were added in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('leaves out undefined properties and refuses what JSON cannot hold, naming where', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(() => canonicalJson({ a: [1, undefined] })).toThrow('$.a[1] is undefined');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('$.a is NaN');
    expect(() => canonicalJson({ when: new Date(0) })).toThrow('$.when is a Date');
    expect(() => canonicalJson({ n: 1n })).toThrow('$.n is a bigint');
  });
});
