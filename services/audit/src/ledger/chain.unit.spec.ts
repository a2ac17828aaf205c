import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { caseHeadLine, caseHeadsLink, CaseHeadLines, caseLink, caseLinkHex, eventHash, eventHashHex, GENESIS, GENESIS_HEX, globalLink, globalLinkHex, uuidBytes } from './chain';

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const uint64 = (value: number) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(value));
  return buffer;
};
const hash = (text: string) => createHash('sha256').update(text).digest();

describe('the ledger hash formulas', () => {
  const caseId = '6f1c2b9e-5d4a-4c3b-9a8f-0123456789ab';

  it('hashes an entry as the SHA-256 of its canonical JSON, as UTF-8', () => {
    expect(eventHash('{"a":"é"}')).toEqual(sha256(Buffer.from('{"a":"é"}', 'utf8')));
  });

  it('links the global chain: SHA-256(previous ‖ uint64be(seq) ‖ event hash), the first link on 32 zero bytes', () => {
    const first = globalLink(GENESIS, 1, hash('one'));
    expect(GENESIS).toEqual(Buffer.alloc(32));
    expect(first).toEqual(sha256(Buffer.alloc(32), uint64(1), hash('one')));
    expect(globalLink(first, 2, hash('two'))).toEqual(sha256(first, uint64(2), hash('two')));
    // Sequence numbers past 32 bits keep their 8 bytes.
    expect(globalLink(first, 2 ** 40 + 7, hash('x'))).toEqual(sha256(first, uint64(2 ** 40 + 7), hash('x')));
  });

  it('links a case chain: SHA-256(previous ‖ case id bytes ‖ uint64be(case seq) ‖ uint64be(seq) ‖ event hash)', () => {
    expect(uuidBytes(caseId).toString('hex')).toBe('6f1c2b9e5d4a4c3b9a8f0123456789ab');
    expect(caseLink(GENESIS, uuidBytes(caseId), 1, 42, hash('e'))).toEqual(sha256(Buffer.alloc(32), uuidBytes(caseId), uint64(1), uint64(42), hash('e')));
  });

  it('gives a different link for any change of its inputs (property)', () => {
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((array) => Buffer.from(array));
    const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(bytes32, seq, bytes32, bytes32, seq, (previous, n, event, other, m) => {
        const link = globalLink(previous, n, event);
        if (!other.equals(previous)) expect(globalLink(other, n, event).equals(link)).toBe(false);
        if (!other.equals(event)) expect(globalLink(previous, n, other).equals(link)).toBe(false);
        if (m !== n) expect(globalLink(previous, m, event).equals(link)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same links from hashes as hex and as bytes, as hex (how verification carries them)', () => {
    const event = hash('e');
    const previous = globalLink(GENESIS, 1, hash('one'));
    expect(eventHashHex('{"a":"é"}')).toBe(eventHash('{"a":"é"}').toString('hex'));
    expect(GENESIS_HEX).toBe('0'.repeat(64));
    expect(globalLinkHex(previous.toString('hex'), 2, event.toString('hex'))).toBe(globalLink(previous, 2, event).toString('hex'));
    expect(globalLinkHex(previous, 2, event.toString('hex'))).toBe(globalLink(previous, 2, event).toString('hex'));
    expect(caseLinkHex(GENESIS_HEX, uuidBytes(caseId), 1, 42, event)).toBe(caseLink(GENESIS, uuidBytes(caseId), 1, 42, event).toString('hex'));
    expect(() => globalLinkHex('ab', 1, event)).toThrow('64 hex digits');
    expect(() => globalLinkHex(GENESIS_HEX, 1, `${'0'.repeat(63)}x`)).toThrow('64 hex digits');
  });

  it('refuses inputs of the wrong width rather than hashing something ambiguous', () => {
    expect(() => globalLink(Buffer.alloc(31), 1, hash('e'))).toThrow('32 bytes');
    expect(() => globalLink(GENESIS, -1, hash('e'))).toThrow('non-negative safe integer');
    expect(() => globalLink(GENESIS, 1.5, hash('e'))).toThrow('non-negative safe integer');
    expect(() => caseLink(GENESIS, Buffer.alloc(15), 1, 1, hash('e'))).toThrow('16 bytes');
    expect(() => uuidBytes('6F1C2B9E-5D4A-4C3B-9A8F-0123456789AB')).toThrow('lower-case UUID');
  });

  it('chains the checkpoints\' case heads: SHA-256(previous ‖ SHA-256(the sorted head lines))', () => {
    const head = hash('head');
    expect(caseHeadLine(caseId, head)).toBe(`${caseId}:${head.toString('hex')}\n`);
    const lines = new CaseHeadLines();
    lines.add(caseId, head);
    lines.add('7f1c2b9e-5d4a-4c3b-9a8f-0123456789ab', head);
    expect(lines.lines).toBe(2);
    const linesDigest = sha256(Buffer.from(`${caseId}:${head.toString('hex')}\n7f1c2b9e-5d4a-4c3b-9a8f-0123456789ab:${head.toString('hex')}\n`));
    expect(lines.digest()).toEqual(linesDigest);
    expect(caseHeadsLink(GENESIS, linesDigest)).toEqual(sha256(Buffer.alloc(32), linesDigest));
  });
});
