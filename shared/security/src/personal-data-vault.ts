import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ArrearsError, ERASED, EncryptedSchema, ErrorCode, PERSONAL_FIELDS, type Encrypted, type PersonalField } from '@arrears/contracts';
import { subjectIdOf, type DataKey, type KeyProvider } from './key-provider';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'pii:v1';

export const DEFAULT_KEY_CACHE_TTL_MS = 5_000;
/** The longest a cache may keep a key: the bound on how long another instance's erasure can go unseen here. */
export const MAX_KEY_CACHE_TTL_MS = 60_000;
export const DEFAULT_KEY_CACHE_SIZE = 1_000;

export interface PersonalDataVaultOptions {
  /**
   * How long a data key is reused without asking the key provider again. An erasure made through another vault
   * (another instance) can go unseen here for this long; an erasure through this vault evicts at once. 0 turns
   * the cache off. At most MAX_KEY_CACHE_TTL_MS.
   */
  readonly keyCacheTtlMs?: number;
  /** How many subjects' keys the cache holds; the oldest goes first. */
  readonly keyCacheSize?: number;
  /** The clock for the cache only (tests); the encryption never reads time. */
  readonly now?: () => number;
}

/**
 * Unreadable personal data: the value was altered, or was written for another subject or another field (the
 * AES-GCM tag binds both), or no key was ever made for the subject. Never shown as erased: that would hide
 * corruption or a wrong key store behind what looks like a lawful erasure.
 */
export class UnreadablePersonalDataError extends ArrearsError {
  constructor(subjectId: string, field: PersonalField, reason: 'altered-or-misplaced' | 'no-key') {
    super(
      ErrorCode.INTERNAL,
      reason === 'no-key'
        ? `The ${field} of subject ${subjectId} cannot be decrypted: the subject has no key and was not erased, so the value was not encrypted for this subject, or this is not the key store it was written with`
        : `The ${field} of subject ${subjectId} cannot be decrypted: the value was altered, or it was encrypted for another subject or field`,
      { field, details: { subjectId, reason } },
    );
  }
}

interface CachedKey {
  readonly key: DataKey;
  readonly expiresAt: number;
}

/**
 * Encrypts and decrypts a data subject's personal fields under that subject's own key (AES-256-GCM, a fresh
 * 96-bit IV each time, `arrears-pii:v1:<subjectId>:<field>` as additional data). Once the subject is erased,
 * their values decrypt to ERASED and nothing new can be encrypted for them.
 */
export class PersonalDataVault {
  private readonly ttlMs: number;
  private readonly cacheSize: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, CachedKey>();
  /** Bumped by every erase: a key lookup that started before an erasure does not put the key back in the cache. */
  private erasures = 0;

  constructor(
    private readonly keys: KeyProvider,
    options: PersonalDataVaultOptions = {},
  ) {
    this.ttlMs = options.keyCacheTtlMs ?? DEFAULT_KEY_CACHE_TTL_MS;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 0 || this.ttlMs > MAX_KEY_CACHE_TTL_MS) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `keyCacheTtlMs: must be a whole number of milliseconds from 0 to ${MAX_KEY_CACHE_TTL_MS}`, {
        field: 'keyCacheTtlMs',
      });
    }
    this.cacheSize = options.keyCacheSize ?? DEFAULT_KEY_CACHE_SIZE;
    if (!Number.isInteger(this.cacheSize) || this.cacheSize < 1) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'keyCacheSize: must be a whole number of at least 1', { field: 'keyCacheSize' });
    }
    this.now = options.now ?? Date.now;
  }

  /** Rejects with SubjectErasedError once the subject was erased. */
  async encrypt(subjectId: string, field: PersonalField, plaintext: string): Promise<Encrypted> {
    const id = subjectIdOf(subjectId);
    checkPlaintext(field, plaintext);
    return seal(await this.key(id, (subject) => this.keys.keyFor(subject)), id, field, plaintext);
  }

  /**
   * The plaintext, or ERASED when the subject was erased. Rejects with UnreadablePersonalDataError when the value
   * was altered or belongs to another subject or field, and VALIDATION_FAILED when it is not a `pii:v1:` value.
   */
  async decrypt(subjectId: string, field: PersonalField, value: Encrypted): Promise<string | typeof ERASED> {
    const id = subjectIdOf(subjectId);
    checkField(field);
    const parts = partsOf(value, id, field);
    const key = await this.readingKey(id, field);
    return key === ERASED ? ERASED : open(key, id, field, parts);
  }

  /** encrypt for several fields of one subject, asking for the key once. */
  async encryptAll<F extends PersonalField>(subjectId: string, values: Readonly<Record<F, string>>): Promise<Record<F, Encrypted>> {
    const id = subjectIdOf(subjectId);
    const fields = Object.keys(values) as F[];
    for (const field of fields) checkPlaintext(field, values[field]);
    const key = await this.key(id, (subject) => this.keys.keyFor(subject));
    return Object.fromEntries(fields.map((field) => [field, seal(key, id, field, values[field])])) as Record<F, Encrypted>;
  }

  /** decrypt for several fields of one subject, asking for the key once; every field is ERASED after erasure. */
  async decryptAll<F extends PersonalField>(subjectId: string, values: Readonly<Record<F, Encrypted>>): Promise<Record<F, string | typeof ERASED>> {
    const id = subjectIdOf(subjectId);
    const fields = Object.keys(values) as F[];
    fields.forEach(checkField);
    const parts = fields.map((field) => [field, partsOf(values[field], id, field)] as const);
    const first = fields[0];
    if (first === undefined) return {} as Record<F, string>;
    const key = await this.readingKey(id, first);
    return Object.fromEntries(parts.map(([field, sealed]) => [field, key === ERASED ? ERASED : open(key, id, field, sealed)])) as Record<F, string>;
  }

  /**
   * Crypto-shredding: deletes the subject's key through the key provider and drops it from this vault's cache at
   * once. Other vaults may keep using a cached copy for up to their keyCacheTtlMs. Resolves true when a key was
   * deleted by this call.
   */
  async erase(subjectId: string): Promise<boolean> {
    const id = subjectIdOf(subjectId);
    this.erasures += 1;
    this.cache.delete(id);
    return this.keys.erase(id);
  }

  private async readingKey(id: string, field: PersonalField): Promise<DataKey | typeof ERASED> {
    const key = await this.key(id, (subject) => this.keys.existingKey(subject));
    if (key !== undefined) return key;
    if (await this.keys.isErased(id)) return ERASED;
    throw new UnreadablePersonalDataError(id, field, 'no-key');
  }

  private async key<K extends DataKey | undefined>(id: string, lookup: (id: string) => Promise<K>): Promise<K> {
    const cached = this.cache.get(id);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.key as K;
    this.cache.delete(id);
    const erasuresBefore = this.erasures;
    const key = await lookup(id);
    if (key !== undefined && this.ttlMs > 0 && this.erasures === erasuresBefore) {
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(id, { key, expiresAt: this.now() + this.ttlMs });
    }
    return key;
  }
}

interface Sealed {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

const additionalData = (subjectId: string, field: PersonalField) => Buffer.from(`arrears-pii:v1:${subjectId}:${field}`, 'utf8');

function seal(key: DataKey, subjectId: string, field: PersonalField, plaintext: string): Encrypted {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES }).setAAD(additionalData(subjectId, field));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}:${iv.toString('base64url')}:${ciphertext.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}` as Encrypted;
}

function open(key: DataKey, subjectId: string, field: PersonalField, { iv, ciphertext, tag }: Sealed): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES }).setAAD(additionalData(subjectId, field)).setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new UnreadablePersonalDataError(subjectId, field, 'altered-or-misplaced');
  }
}

function partsOf(value: Encrypted, subjectId: string, field: PersonalField): Sealed {
  if (!EncryptedSchema.safeParse(value).success) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: not an encrypted personal field (pii:v1:…)`, { field });
  }
  const [iv, ciphertext, tag] = value.slice(PREFIX.length + 1).split(':').map(decodeStrictly);
  if (iv === undefined || ciphertext === undefined || tag === undefined) throw new UnreadablePersonalDataError(subjectId, field, 'altered-or-misplaced');
  return { iv, ciphertext, tag };
}

/**
 * The bytes of a base64url part, or undefined when the part is not how those bytes encode. A part whose last
 * character has stray low bits decodes to the same bytes as the honest one; refusing it means that changing any
 * one character of a value makes it unreadable.
 */
function decodeStrictly(part: string): Buffer | undefined {
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

function checkPlaintext(field: PersonalField, plaintext: string): void {
  checkField(field);
  if (typeof plaintext !== 'string') throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: only text is encrypted`, { field });
}

function checkField(field: PersonalField): void {
  if (!(PERSONAL_FIELDS as readonly string[]).includes(field)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `field: must be one of ${PERSONAL_FIELDS.join(', ')}`, { field: 'field' });
  }
}
