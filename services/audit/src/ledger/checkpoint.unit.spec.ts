import { generateKeyPairSync } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { checkCheckpointSignature, parseCheckpointText, signCheckpoint } from './checkpoint';
import { signerFromEnv, signerFromKey } from './signer';

describe('checkpoints', () => {
  const signer = signerFromEnv({ NODE_ENV: 'test' });
  const heads = { number: 3, seq: 120, globalHead: 'a'.repeat(64), caseHeads: 'b'.repeat(64), cases: 17, at: '2027-03-01T09:00:00.000Z' };

  it('sign the canonical JSON of the heads, naming the format and the key', () => {
    const checkpoint = signCheckpoint(heads, signer);
    expect(checkpoint.text).toBe(canonicalJson({ ...heads, format: 'arrears-audit-checkpoint/1', keyId: signer.keyId }));
    expect(checkpoint.text).toBe(
      `{"at":"2027-03-01T09:00:00.000Z","caseHeads":"${'b'.repeat(64)}","cases":17,"format":"arrears-audit-checkpoint/1","globalHead":"${'a'.repeat(64)}","keyId":"ea053771a5e80087","number":3,"seq":120}`,
    );
    expect(parseCheckpointText(checkpoint.text)).toEqual({ payload: { ...heads, format: 'arrears-audit-checkpoint/1', keyId: signer.keyId } });
    expect(checkCheckpointSignature(checkpoint, [signer.publicKey])).toEqual({ ok: true, keyId: signer.keyId });
  });

  it('fail their signature when the text is changed, or signed by a key not accepted', () => {
    const checkpoint = signCheckpoint(heads, signer);
    expect(checkCheckpointSignature({ ...checkpoint, text: checkpoint.text.replace('"seq":120', '"seq":121') }, [signer.publicKey])).toMatchObject({ ok: false });
    const other = signCheckpoint(heads, signerFromKey(generateKeyPairSync('ed25519').privateKey));
    expect(checkCheckpointSignature(other, [signer.publicKey])).toMatchObject({ ok: false, detail: expect.stringContaining('not among the accepted keys') });
  });

  it.each([
    ['not JSON', 'nope', 'not JSON'],
    ['another format', '{"format":"x"}', 'its format is "x"'],
    ['a head that is not a hash', canonicalJson({ ...heads, globalHead: 'xyz', format: 'arrears-audit-checkpoint/1', keyId: 'k' }), 'globalHead is not 64 hex digits'],
    ['a count that is not one', canonicalJson({ ...heads, seq: -1, format: 'arrears-audit-checkpoint/1', keyId: 'k' }), 'seq is not a count'],
    ['an extra field', canonicalJson({ ...heads, format: 'arrears-audit-checkpoint/1', keyId: 'k', note: 'hi' }), 'fields no checkpoint has: note'],
    ['text that is not canonical', JSON.stringify({ format: 'arrears-audit-checkpoint/1', ...heads, keyId: 'k' }), 'not canonical JSON'],
  ])('cannot be read from %s', (_name, text, problem) => {
    expect(parseCheckpointText(text)).toEqual({ problem: expect.stringContaining(problem) });
  });
});
