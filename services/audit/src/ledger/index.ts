// The audit ledger: every event of the platform in an insert-only PostgreSQL table with a global hash chain and a
// chain per case, signed checkpoints of their heads, verification against the event store, and the read access the
// replay uses. docs/audit-ledger.md describes the table, the formulas and what verification finds.
export {
  AuditLedger,
  scheduleCheckpoints,
  writerPoolConfig,
  type AuditLedgerOptions,
  type CaseLedgerEntry,
  type LedgerAppend,
  type LedgerEntry,
  type StoredCheckpoint,
} from './audit-ledger';
export { verifyLedger, type LedgerReport, type VerifyLedgerOptions, type VerifyProgress } from './verify';
export { verifyCase, type CaseReport, type VerifyCaseOptions } from './verify-case';
export { PROBLEM_KINDS, type LedgerProblem, type ProblemCheck, type ProblemKind } from './problems';
export { CHECKPOINT_FORMAT, type Checkpoint, type CheckpointPayload } from './checkpoint';
export { caseHeadLine, caseHeadsLink, caseLink, eventHash, GENESIS, globalLink } from './chain';
export { ledgerCasesOf, ledgerEvent, ledgerText } from './ledger-event';
export {
  checkSignature,
  DEVELOPMENT_SIGNING_KEY_BASE64,
  keyIdOf,
  SIGNING_KEY_ENV,
  signerFromEnv,
  signerFromKey,
  verificationKeysFromEnv,
  VERIFY_KEYS_ENV,
  type CheckpointSigner,
} from './signer';
export { DEFAULT_LEDGER_SCHEMA, DEFAULT_WRITER_ROLE, INSERT_ONLY_SQLSTATE, CONFLICTING_EVENT_SQLSTATE } from './schema';
