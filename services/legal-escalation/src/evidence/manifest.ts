import { ArrearsError, ErrorCode, EventEnvelopeSchema, IdSchema, InstantSchema, validationFailed, type EventEnvelope } from '@arrears/contracts';
import { z } from 'zod';
import { canonicalBytes, canonicalJson, sha256Hex } from './canonical-json';

/** Names this version of the format; a reader refuses a manifest of another. */
export const PACKAGE_FORMAT = 'arrears-evidence-package/1';

/** The items a package holds, in the order the manifest lists them (docs/evidence-packages.md). */
export const ITEM_NAMES = ['events.jsonl', 'statement.json', 'contacts.json', 'promises-and-plans.json', 'flags.json', 'summary.pdf'] as const;
export type ItemName = (typeof ITEM_NAMES)[number];

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 as 64 lower-case hex digits');
/** Item names become file names: no path separators, no dot files. */
const ItemNameSchema = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,99}$/, 'must be a plain file name (a-z, 0-9, . and -)');

const ManifestItemSchema = z.object({ name: ItemNameSchema, sha256: Sha256Schema, bytes: z.number().int().min(0) }).strict();

const ManifestEventSchema = z
  .object({
    eventId: IdSchema,
    streamId: EventEnvelopeSchema.shape.streamId,
    streamPosition: z.number().int().min(0),
    globalPosition: z.string().regex(/^(0|[1-9]\d*):(0|[1-9]\d*)$/, 'must be "<commit>:<prepare>"'),
    type: z.string().min(1),
    sha256: Sha256Schema,
  })
  .strict();

export const ManifestSchema = z
  .object({
    format: z.literal(PACKAGE_FORMAT),
    caseId: IdSchema,
    accountId: IdSchema,
    reasons: z.array(z.string().min(1)).min(1),
    requestedAt: InstantSchema,
    items: z.array(ManifestItemSchema).min(1),
    events: z.array(ManifestEventSchema),
    /** The signing key's id (`keyIdOf`): which public key checks `manifest.sig`. */
    keyId: z.string().min(1).max(100),
  })
  .strict();

export type ManifestItem = z.infer<typeof ManifestItemSchema>;
export type ManifestEvent = z.infer<typeof ManifestEventSchema>;
export type Manifest = z.infer<typeof ManifestSchema>;

/** One event as `events.jsonl` holds it: the whole envelope, canonical. Its SHA-256 is what the manifest lists. */
export function eventLine(event: EventEnvelope): string {
  return canonicalJson(event);
}

export function eventDigest(event: EventEnvelope): string {
  return sha256Hex(eventLine(event));
}

export function manifestEvent(event: EventEnvelope): ManifestEvent {
  const { eventId, streamId, streamPosition, globalPosition, type } = event;
  return { eventId, streamId, streamPosition, globalPosition, type, sha256: eventDigest(event) };
}

/** The manifest's bytes: canonical JSON, no trailing newline. The package id is their SHA-256. */
export function manifestBytes(manifest: Manifest): Buffer {
  return canonicalBytes(manifest);
}

export function packageIdOf(manifest: Uint8Array): string {
  return sha256Hex(manifest);
}

/** Reads manifest bytes back; VALIDATION_FAILED naming the field when they are not a manifest of this format. */
export function parseManifest(bytes: Uint8Array): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${MANIFEST_FILE} is not JSON: ${(error as Error).message}`, { field: MANIFEST_FILE, cause: error });
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw validationFailed(parsed.error, MANIFEST_FILE);
  return parsed.data;
}
