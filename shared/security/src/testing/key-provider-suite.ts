import { randomUUID } from 'node:crypto';
import { ErrorCode, isArrearsError } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { SubjectErasedError, type KeyProvider } from '../key-provider';

export interface KeyProviderUnderTest {
  readonly name: string;
  /** A provider for one test, and how to remove what it wrote. */
  create(): Promise<{ readonly keys: KeyProvider; teardown(): Promise<void> }>;
}

/** The KeyProvider contract as tests: every provider runs this, so services can unit-test with the in-memory one. */
export function describeKeyProvider(adapter: KeyProviderUnderTest): void {
  describe(`${adapter.name} key provider`, () => {
    let keys: KeyProvider;
    let teardown: () => Promise<void>;

    beforeEach(async () => {
      ({ keys, teardown } = await adapter.create());
    });

    afterEach(async () => {
      await teardown();
    });

    it('makes a 256-bit key on first use and returns that same key after', async () => {
      const subject = randomUUID();
      expect(await keys.existingKey(subject)).toBeUndefined();

      const key = await keys.keyFor(subject);
      expect(key.type).toBe('secret');
      expect(key.symmetricKeySize).toBe(32);
      expect((await keys.keyFor(subject)).equals(key)).toBe(true);
      expect((await keys.existingKey(subject))?.equals(key)).toBe(true);
      expect(await keys.isErased(subject)).toBe(false);
    });

    it('gives every subject a key of its own', async () => {
      const [a, b] = await Promise.all([keys.keyFor(randomUUID()), keys.keyFor(randomUUID())]);
      expect(a.equals(b)).toBe(false);
    });

    it('existingKey never makes a key', async () => {
      const subject = randomUUID();
      await keys.existingKey(subject);
      expect(await keys.existingKey(subject)).toBeUndefined();
    });

    it('reads a subject id without regard to case', async () => {
      const subject = randomUUID();
      const key = await keys.keyFor(subject.toUpperCase());
      expect((await keys.existingKey(subject))?.equals(key)).toBe(true);
    });

    it('refuses an id that is not a UUID, naming subjectId', async () => {
      for (const call of [
        () => keys.keyFor('debtor-42'),
        () => keys.existingKey(''),
        () => keys.erase('42'),
        () => keys.isErased(`${randomUUID()}x`),
      ]) {
        const error = await rejection(call());
        expect(isArrearsError(error, ErrorCode.VALIDATION_FAILED) && error.field).toBe('subjectId');
      }
    });

    it('erase deletes the key and refuses to make a new one: the tombstone stays', async () => {
      const subject = randomUUID();
      await keys.keyFor(subject);

      expect(await keys.erase(subject)).toBe(true);
      expect(await keys.existingKey(subject)).toBeUndefined();
      expect(await keys.isErased(subject)).toBe(true);
      expect(await rejection(keys.keyFor(subject))).toEqual(new SubjectErasedError(subject));
      // Idempotent: nothing left to delete.
      expect(await keys.erase(subject)).toBe(false);
      expect(await keys.isErased(subject)).toBe(true);
    });

    it('erasing a subject that never had a key still refuses a key later', async () => {
      const subject = randomUUID();
      expect(await keys.erase(subject)).toBe(false);
      expect(await keys.isErased(subject)).toBe(true);
      expect(await rejection(keys.keyFor(subject))).toBeInstanceOf(SubjectErasedError);
    });

    it('erasing one subject leaves the others alone', async () => {
      const [erased, kept] = [randomUUID(), randomUUID()];
      await keys.keyFor(erased);
      const key = await keys.keyFor(kept);
      await keys.erase(erased);
      expect((await keys.existingKey(kept))?.equals(key)).toBe(true);
      expect(await keys.isErased(kept)).toBe(false);
    });

    it('an erasure racing the first keyFor of a subject always ends with no key', async () => {
      for (let round = 0; round < 20; round += 1) {
        const subject = randomUUID();
        const [made] = await Promise.allSettled([keys.keyFor(subject), keys.erase(subject)]);
        if (made.status === 'rejected') expect(made.reason).toBeInstanceOf(SubjectErasedError);
        expect(await keys.existingKey(subject)).toBeUndefined();
        expect(await keys.isErased(subject)).toBe(true);
      }
    });
  });
}
