import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { checkSignature, type CheckpointSigner } from './signer';

export const CHECKPOINT_FORMAT = 'arrears-audit-checkpoint/1';

/** What a checkpoint signs: the chain heads at one sequence number. Its canonical JSON is the signed text. */
export interface CheckpointPayload {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** 1, 2, 3, …: checkpoints are numbered without gaps. */
  readonly number: number;
  /** The last ledger entry it covers; also the number of entries (the sequence starts at 1 and has no gaps). */
  readonly seq: number;
  /** `global_hash` of entry `seq`, hex. */
  readonly globalHead: string;
  /** `case_heads(number)` (chain.ts, `caseHeadsLink`), hex: commits to the head of every case chain at `seq`. */
  readonly caseHeads: string;
  /** How many cases have a chain at `seq`. */
  readonly cases: number;
  /** When it was written (ISO-8601, UTC). */
  readonly at: string;
  readonly keyId: string;
}

/** A checkpoint as stored: the payload, its exact signed text and the signature. */
export interface Checkpoint extends CheckpointPayload {
  /** The canonical JSON of the payload, exactly the bytes signed (UTF-8). */
  readonly text: string;
  /** Ed25519 over `text`, base64. */
  readonly signature: string;
}

export function signCheckpoint(payload: Omit<CheckpointPayload, 'format' | 'keyId'>, signer: CheckpointSigner): Checkpoint {
  const full: CheckpointPayload = {
    format: CHECKPOINT_FORMAT,
    number: payload.number,
    seq: payload.seq,
    globalHead: payload.globalHead,
    caseHeads: payload.caseHeads,
    cases: payload.cases,
    at: payload.at,
    keyId: signer.keyId,
  };
  const text = canonicalJson(full);
  return { ...full, text, signature: signer.sign(Buffer.from(text, 'utf8')) };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads a stored checkpoint's text back as a payload, or says why it cannot be one: not JSON, not canonical (so not
 * the text that would have been signed), another format, or a field missing or malformed.
 */
export function parseCheckpointText(text: string): { readonly payload: CheckpointPayload } | { readonly problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'its text is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'its text is not a JSON object' };
  const payload = value as Record<string, unknown>;
  if (payload['format'] !== CHECKPOINT_FORMAT) return { problem: `its format is ${JSON.stringify(payload['format'])}, not ${CHECKPOINT_FORMAT}` };
  const counts = ['number', 'seq', 'cases'] as const;
  for (const name of counts) {
    const count = payload[name];
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return { problem: `its ${name} is not a count` };
  }
  for (const name of ['globalHead', 'caseHeads'] as const) {
    if (typeof payload[name] !== 'string' || !HEX64.test(payload[name])) return { problem: `its ${name} is not 64 hex digits` };
  }
  if (typeof payload['at'] !== 'string' || Number.isNaN(Date.parse(payload['at']))) return { problem: 'its time is not an instant' };
  if (typeof payload['keyId'] !== 'string') return { problem: 'it names no key' };
  const known = new Set(['format', 'number', 'seq', 'globalHead', 'caseHeads', 'cases', 'at', 'keyId']);
  const extra = Object.keys(payload).filter((key) => !known.has(key));
  if (extra.length > 0) return { problem: `it has fields no checkpoint has: ${extra.join(', ')}` };
  if (canonicalJson(payload) !== text) return { problem: 'its text is not canonical JSON, so not the text that was signed' };
  return { payload: payload as unknown as CheckpointPayload };
}

/** Checks a stored checkpoint's signature over its text with the accepted key it names. */
export function checkCheckpointSignature(checkpoint: Pick<Checkpoint, 'text' | 'signature' | 'keyId'>, publicKeys: readonly KeyObject[]) {
  return checkSignature(Buffer.from(checkpoint.text, 'utf8'), checkpoint.signature, checkpoint.keyId, publicKeys);
}
