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
 * verification hashes every entry two or three times; `createHash` where it is missing. Verification takes the
 * digest as hex: asking for a Buffer makes hashing a link about three times as costly.
 */
const sha256: (data: Buffer | string) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();
const sha256Hex: (data: Buffer | string) => string =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'hex') : (data) => crypto.createHash('sha256').update(data).digest('hex');

/** What the first entry of a chain is linked to: 32 zero bytes. */
export const GENESIS: Buffer = Buffer.alloc(32);
/** GENESIS as hex. */
export const GENESIS_HEX: string = GENESIS.toString('hex');

const HASH_BYTES = 32;
const globalInput = Buffer.alloc(HASH_BYTES + 8 + HASH_BYTES);
const caseInput = Buffer.alloc(HASH_BYTES + 16 + 8 + 8 + HASH_BYTES);

/** A hash as its 32 bytes, or as 64 hex digits (how verification carries them). */
export type HashValue = Uint8Array | string;

function writeUint64(buffer: Buffer, value: number, offset: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`A ledger sequence number is a non-negative safe integer, not ${value}`);
  buffer.writeUInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  buffer.writeUInt32BE(value % 0x1_0000_0000, offset + 4);
}

function checkHash(hash: Uint8Array, name: string): void {
  if (hash.length !== HASH_BYTES) throw new RangeError(`${name} must be ${HASH_BYTES} bytes, not ${hash.length}`);
}

function writeHash(buffer: Buffer, hash: HashValue, offset: number, name: string): void {
  if (typeof hash === 'string') {
    // Buffer.write stops at the first character that is not hex: fewer than 32 bytes written means it was not a hash.
    if (hash.length !== 2 * HASH_BYTES || buffer.write(hash, offset, HASH_BYTES, 'hex') !== HASH_BYTES) {
      throw new RangeError(`${name} must be ${2 * HASH_BYTES} hex digits, not ${JSON.stringify(hash)}`);
    }
    return;
  }
  checkHash(hash, name);
  buffer.set(hash, offset);
}

/** `event_hash` = SHA-256 of the entry's canonical JSON, as UTF-8. */
export function eventHash(canonicalText: string): Buffer {
  return sha256(canonicalText);
}

/** `eventHash` as hex. */
export function eventHashHex(canonicalText: string): string {
  return sha256Hex(canonicalText);
}

function globalInputOf(previous: HashValue, seq: number, event: HashValue): Buffer {
  writeHash(globalInput, previous, 0, 'The previous global hash');
  writeUint64(globalInput, seq, HASH_BYTES);
  writeHash(globalInput, event, HASH_BYTES + 8, 'The event hash');
  return globalInput;
}

/** `global_hash(n)` = SHA-256( global_hash(n-1) ‖ uint64be(n) ‖ event_hash(n) ), with global_hash(0) = GENESIS. */
export function globalLink(previous: HashValue, seq: number, event: HashValue): Buffer {
  return sha256(globalInputOf(previous, seq, event));
}

/** `globalLink` as hex. */
export function globalLinkHex(previous: HashValue, seq: number, event: HashValue): string {
  return sha256Hex(globalInputOf(previous, seq, event));
}

function caseInputOf(previous: HashValue, caseId: Uint8Array, caseSeq: number, seq: number, event: HashValue): Buffer {
  if (caseId.length !== 16) throw new RangeError(`A case id is 16 bytes, not ${caseId.length}`);
  writeHash(caseInput, previous, 0, 'The previous case hash');
  caseInput.set(caseId, HASH_BYTES);
  writeUint64(caseInput, caseSeq, HASH_BYTES + 16);
  writeUint64(caseInput, seq, HASH_BYTES + 24);
  writeHash(caseInput, event, HASH_BYTES + 32, 'The event hash');
  return caseInput;
}

/**
 * `case_hash(c, k)` = SHA-256( case_hash(c, k-1) ‖ uuid(c) ‖ uint64be(k) ‖ uint64be(seq) ‖ event_hash ), with
 * case_hash(c, 0) = GENESIS: the k-th entry of case c, which is the ledger's entry `seq`.
 */
export function caseLink(previous: HashValue, caseId: Uint8Array, caseSeq: number, seq: number, event: HashValue): Buffer {
  return sha256(caseInputOf(previous, caseId, caseSeq, seq, event));
}

/** `caseLink` as hex. */
export function caseLinkHex(previous: HashValue, caseId: Uint8Array, caseSeq: number, seq: number, event: HashValue): string {
  return sha256Hex(caseInputOf(previous, caseId, caseSeq, seq, event));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A case id (lower-case UUID text) as its 16 bytes, as PostgreSQL's `uuid_send` gives them. */
export function uuidBytes(caseId: string): Buffer {
  if (!UUID.test(caseId)) throw new RangeError(`Not a lower-case UUID: ${JSON.stringify(caseId)}`);
  return Buffer.from(caseId.replace(/-/g, ''), 'hex');
}

/** One line of a checkpoint's case heads: `<case id>:<case hash, hex>\n`. */
export function caseHeadLine(caseId: string, caseHash: HashValue): string {
  return `${caseId}:${typeof caseHash === 'string' ? caseHash : Buffer.from(caseHash).toString('hex')}\n`;
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

  add(caseId: string, caseHash: HashValue): void {
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
