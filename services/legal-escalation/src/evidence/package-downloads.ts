import { ArrearsError, ErrorCode, legalEscalation } from '@arrears/contracts';
import type { QueryHandler } from '@arrears/messaging';
import { parseInput } from '@arrears/read-models';
import { z } from 'zod';
import { sha256Hex } from './canonical-json';
import { packageFiles, type EvidencePackage } from './evidence-package';
import { MANIFEST_FILE, parseManifest, SIGNATURE_FILE, type Manifest } from './manifest';
import type { PackageStore } from './package-store';

/**
 * The most bytes of one file an answer carries: base64 makes 512 KiB about 683 KiB, which leaves room for the rest of
 * the answer under NATS's default 1 MiB payload. A larger file is read in parts (`offset`, `nextOffset`).
 */
export const MAX_PART_BYTES = 512 * 1024;

/** One file of a package as the legal department downloads it. */
export interface PackageFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Listed in the manifest (the six items); `manifest.json` and `manifest.sig` are not. */
  readonly listed: boolean;
}

export interface PackageView {
  readonly packageId: string;
  /** Ed25519 over `manifest.json`'s bytes, base64; the manifest's `keyId` names the key. */
  readonly signature: string;
  /**
   * The manifest as JSON. Its `events` are left out (`eventsOmitted`) when the manifest is too large for one answer:
   * read `manifest.json` itself then, part by part.
   */
  readonly manifest: Manifest | Omit<Manifest, 'events'>;
  readonly eventCount: number;
  readonly eventsOmitted: boolean;
  /** Every file of the package: the items, `manifest.json` and `manifest.sig`. */
  readonly files: readonly PackageFile[];
}

/** A part (or the whole) of one file: its bytes in base64, with what checks them. */
export interface PackageFilePart extends PackageFile {
  readonly packageId: string;
  readonly encoding: 'base64';
  readonly offset: number;
  /** The bytes in this part. */
  readonly length: number;
  readonly content: string;
  /** Where the next part starts; null when this part ends the file. */
  readonly nextOffset: number | null;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { json: 'application/json', jsonl: 'application/x-ndjson', pdf: 'application/pdf', sig: 'text/plain' };

const PackageParamsSchema = z.object({ packageId: legalEscalation.PackageIdSchema }).strict();
const FileParamsSchema = z
  .object({
    packageId: legalEscalation.PackageIdSchema,
    name: z.string().min(1).max(100),
    /** The first byte of the part; default 0. */
    offset: z.number().int().min(0).default(0),
    /** How many bytes at most; default and at most MAX_PART_BYTES. */
    length: z.number().int().min(1).max(MAX_PART_BYTES).default(MAX_PART_BYTES),
  })
  .strict();

/**
 * The stored evidence packages as the legal department reads them: the manifest, and each file's exact bytes with
 * its SHA-256 (docs/evidence-packages.md; `arrears legal export` writes the same files to a directory).
 */
export class PackageDownloads {
  constructor(private readonly packages: PackageStore) {}

  async manifest(params: Readonly<Record<string, unknown>>): Promise<PackageView> {
    const { packageId } = parseInput(PackageParamsSchema, params);
    const pkg = await this.stored(packageId);
    const manifest = parseManifest(pkg.manifestBytes);
    const listed = new Set(manifest.items.map((item) => item.name));
    const { events, ...rest } = manifest;
    const eventsOmitted = pkg.manifestBytes.length > MAX_PART_BYTES;
    return {
      packageId: pkg.packageId,
      signature: pkg.signature,
      manifest: eventsOmitted ? rest : manifest,
      eventCount: events.length,
      eventsOmitted,
      files: packageFiles(pkg).map(({ name, bytes }) => ({ name, contentType: contentTypeOf(name), bytes: bytes.length, sha256: sha256Hex(bytes), listed: listed.has(name) })),
    };
  }

  async file(params: Readonly<Record<string, unknown>>): Promise<PackageFilePart> {
    const { packageId, name, offset, length } = parseInput(FileParamsSchema, params);
    const pkg = await this.stored(packageId);
    const file = packageFiles(pkg).find((candidate) => candidate.name === name);
    if (file === undefined) {
      const names = packageFiles(pkg).map((candidate) => candidate.name);
      throw new ArrearsError(ErrorCode.NOT_FOUND, `Package ${packageId} has no file ${name}; it has ${names.join(', ')}`, { field: 'name', details: { files: names } });
    }
    if (offset > 0 && offset >= file.bytes.length) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `offset must be below the file's ${file.bytes.length} bytes`, { field: 'offset' });
    }
    const part = file.bytes.subarray(offset, offset + length);
    const end = offset + part.length;
    return {
      packageId,
      name,
      contentType: contentTypeOf(name),
      bytes: file.bytes.length,
      sha256: sha256Hex(file.bytes),
      listed: name !== MANIFEST_FILE && name !== SIGNATURE_FILE,
      encoding: 'base64',
      offset,
      length: part.length,
      content: part.toString('base64'),
      nextOffset: end < file.bytes.length ? end : null,
    };
  }

  private async stored(packageId: string): Promise<EvidencePackage> {
    const pkg = await this.packages.get(packageId);
    if (pkg === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `No package ${packageId} in the evidence store`, { field: 'packageId' });
    return pkg;
  }
}

function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/** The packages as NATS queries (`<root>.qry.legal-escalation.<Query>`), for the gateway's legal routes. */
export function packageQueryHandlers(downloads: PackageDownloads): Record<string, QueryHandler> {
  return {
    EvidencePackage: (params) => downloads.manifest(params),
    EvidencePackageFile: (params) => downloads.file(params),
  };
}
