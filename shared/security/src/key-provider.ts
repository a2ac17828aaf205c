import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { ArrearsError, ErrorCode, IdSchema } from '@arrears/contracts';

/** A data subject's own AES-256 key. A KeyObject rather than bytes: it cannot be altered, and it prints as `{}`. */
export type DataKey = KeyObject;

export const DATA_KEY_BYTES = 32;

/**
 * Where each data subject's (each debtor's) key lives. Erasure is permanent: it leaves a tombstone, so nothing
 * new can ever be encrypted for that subject, and everything encrypted before can never be read again.
 * Subject ids are UUIDs, compared without regard to case.
 */
export interface KeyProvider {
  /** The subject's key, made on first use. Rejects with SubjectErasedError once the subject was erased. */
  keyFor(subjectId: string): Promise<DataKey>;
  /** The subject's key; undefined when none was ever made, or the subject was erased. Never makes one. */
  existingKey(subjectId: string): Promise<DataKey | undefined>;
  /**
   * Deletes the subject's key for good and leaves a tombstone, also for a subject that never had a key.
   * Idempotent. Resolves true when a key was deleted by this call.
   */
  erase(subjectId: string): Promise<boolean>;
  isErased(subjectId: string): Promise<boolean>;
}

/**
 * Refusal to make a key for an erased subject. Not an ArrearsError: no error code fits, and a service should
 * have refused the command from its own state (the debtor is erased) before it tries to encrypt anything.
 */
export class SubjectErasedError extends Error {
  override readonly name = 'SubjectErasedError';

  constructor(readonly subjectId: string) {
    super(`Data subject ${subjectId} was erased: no personal data can be encrypted for them any more`);
  }
}

/** The canonical form of a subject id (lower-case UUID); VALIDATION_FAILED naming `subjectId` otherwise. */
export function subjectIdOf(subjectId: string): string {
  if (!IdSchema.safeParse(subjectId).success) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'subjectId: must be a UUID (the debtor id)', { field: 'subjectId' });
  }
  // PostgreSQL's uuid type ignores case; the additional data of an encryption does not. One spelling for both.
  return subjectId.toLowerCase();
}

export function newDataKey(): DataKey {
  return createSecretKey(randomBytes(DATA_KEY_BYTES));
}
