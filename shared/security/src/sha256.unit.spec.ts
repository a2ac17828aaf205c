import { sha256Hex } from './sha256';

describe('sha256Hex', () => {
  it('hashes text as its UTF-8 bytes', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('\u00e9')).toBe(sha256Hex(Buffer.from([0xc3, 0xa9])));
  });
});
