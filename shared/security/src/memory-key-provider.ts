import { newDataKey, SubjectErasedError, subjectIdOf, type DataKey, type KeyProvider } from './key-provider';

const TOMBSTONE = 'erased';

/** Keys in a Map, for unit tests of services. Same contract as PostgresKeyProvider; nothing survives the process. */
export class InMemoryKeyProvider implements KeyProvider {
  private readonly keys = new Map<string, DataKey | typeof TOMBSTONE>();

  async keyFor(subjectId: string): Promise<DataKey> {
    const id = subjectIdOf(subjectId);
    const entry = this.keys.get(id);
    if (entry === TOMBSTONE) throw new SubjectErasedError(id);
    if (entry !== undefined) return entry;
    const key = newDataKey();
    this.keys.set(id, key);
    return key;
  }

  async existingKey(subjectId: string): Promise<DataKey | undefined> {
    const entry = this.keys.get(subjectIdOf(subjectId));
    return entry === TOMBSTONE ? undefined : entry;
  }

  async erase(subjectId: string): Promise<boolean> {
    const id = subjectIdOf(subjectId);
    const entry = this.keys.get(id);
    this.keys.set(id, TOMBSTONE);
    return entry !== undefined && entry !== TOMBSTONE;
  }

  async isErased(subjectId: string): Promise<boolean> {
    return this.keys.get(subjectIdOf(subjectId)) === TOMBSTONE;
  }
}
