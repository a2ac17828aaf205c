export { SubjectErasedError, subjectIdOf, type DataKey, type KeyProvider } from './key-provider';
export { InMemoryKeyProvider } from './memory-key-provider';
export * from './postgres-key-provider';
export { DEVELOPMENT_MASTER_KEY_BASE64, MASTER_KEY_ENV, masterKeyFromEnv } from './master-key';
export * from './personal-data-vault';
export * from './masking';
export * from './ed25519-keys';
export * from './sha256';
