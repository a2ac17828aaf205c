import * as crypto from 'node:crypto';

/**
 * The ledger's hash formulas (docs/audit-ledger.md, "The chains"). Every hash is SHA-256 over fixed-width parts, so
 * no two different inputs concatenate to the same bytes: hashes are 32 raw bytes, sequence numbers 8 bytes unsigned
 * big-endian (PostgreSQL's `int8send`), a case id its 16 bytes (`uuid_send`). The same formulas are written once more
 * in SQL, in the append function (schema.ts); verification recomputes them here, so the two are checked against each
 * other on every verification.
 */

/**
 * SHA-256 in one call: `crypto.hash` (Node 20.12 and later) makes no Hash object per call, which matters when a
 * verification hashes every entry twice or three times; `createHash` where it is missing.
 */
const sha256: (data: Buffer | string) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();

/** What the first entry of a chain is linked to: 32 zero bytes. */
export const GENESIS: Buffer = Buffer.alloc(32);

const HASH_BYTES = 32;
const globalInput = Buffer.alloc(HASH_BYTES + 8 + HASH_BYTES);
const caseInput = Buffer.alloc(HASH_BYTES + 16 + 8 + 8 + HASH_BYTES);

function writeUint64(buffer: Buffer, value: number, offset: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`A ledger sequence number is a non-negative safe integer, not ${value}`);
  buffer.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  buffer.writeUInt32BE(value % 0x1_0000_0000, offset + 4);
}

function checkHash(hash: Uint8Array, name: string): void {
  if (hash.length !== HASH_BYTES) throw new RangeError(`${name} must be ${HASH_BYTES} bytes, not ${hash.length}`);
}

/** `event_hash` = SHA-256 of the entry's canonical JSON, as UTF-8. */
export function eventHash(canonicalText: string): Buffer {
  return sha256(canonicalText);
}

/** `global_hash(n)` = SHA-256( global_hash(n-1) ‖ uint64be(n) ‖ event_hash(n) ), with global_hash(0) = GENESIS. */
export function globalLink(previous: Uint8Array, seq: number, event: Uint8Array): Buffer {
  checkHash(previous, 'The previous global hash');
  checkHash(event, 'The event hash');
  globalInput.set(previous, 0);
  writeUint64(globalInput, seq, HASH_BYTES);
  globalInput.set(event, HASH_BYTES + 8);
  return sha256(globalInput);
}

/**
 * `case_hash(c, k)` = SHA-256( case_hash(c, k-1) ‖ uuid(c) ‖ uint64be(k) ‖ uint64be(seq) ‖ event_hash ), with
 * case_hash(c, 0) = GENESIS: the k-th entry of case c, which is the ledger's entry `seq`.
 */
export function caseLink(previous: Uint8Array, caseId: Uint8Array, caseSeq: number, seq: number, event: Uint8Array): Buffer {
  checkHash(previous, 'The previous case hash');
  checkHash(event, 'The event hash');
  if (caseId.length !== 16) throw new RangeError(`A case id is 16 bytes, not ${caseId.length}`);
  caseInput.set(previous, 0);
  caseInput.set(caseId, HASH_BYTES);
  writeUint64(caseInput, caseSeq, HASH_BYTES + 16);
  writeUint64(caseInput, seq, HASH_BYTES + 24);
  caseInput.set(event, HASH_BYTES + 32);
  return sha256(caseInput);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A case id (lower-case UUID text) as its 16 bytes, as PostgreSQL's `uuid_send` gives them. */
export function uuidBytes(caseId: string): Buffer {
  if (!UUID.test(caseId)) throw new RangeError(`Not a lower-case UUID: ${JSON.stringify(caseId)}`);
  return Buffer.from(caseId.replace(/-/g, ''), 'hex');
}

/** One line of a checkpoint's case heads: `<case id>:<case hash, hex>\n`. */
export function caseHeadLine(caseId: string, caseHash: Uint8Array): string {
  return `${caseId}:${Buffer.from(caseHash).toString('hex')}\n`;
}

/**
 * `case_heads(k)` = SHA-256( case_heads(k-1) ‖ SHA-256(lines(k)) ), with case_heads(0) = GENESIS, where lines(k) are
 * the `caseHeadLine`s of every case whose chain grew since checkpoint k-1 (its head at checkpoint k), in case id order.
 * By induction it commits to every case's head at checkpoint k, while writing and checking it costs only the cases
 * that changed.
 */
export function caseHeadsLink(previous: Uint8Array, linesDigest: Uint8Array): Buffer {
  checkHash(previous, 'The previous case heads digest');
  checkHash(linesDigest, 'The digest of the case head lines');
  return crypto.createHash('sha256').update(previous).update(linesDigest).digest();
}

/** Hashes the case head lines of one checkpoint as they are written (they arrive in case id order). */
export class CaseHeadLines {
  private readonly hash = crypto.createHash('sha256');
  private count = 0;

  add(caseId: string, caseHash: Uint8Array): void {
    this.hash.update(caseHeadLine(caseId, caseHash), 'utf8');
    this.count += 1;
  }

  get lines(): number {
    return this.count;
  }

  digest(): Buffer {
    return this.hash.digest();
  }
}
