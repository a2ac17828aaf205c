import type { KeyObject } from 'node:crypto';
import { compareGlobalPositions, type EventEnvelope } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import { sha256Hex } from './canonical-json';
import type { EvidencePackage } from './evidence-package';
import { caseHistory, caseOwnStreams, readStreams } from './gather';
import { eventDigest, packageIdOf, parseManifest, type Manifest, type ManifestEvent } from './manifest';
import { checkSignature } from './signer';

export interface VerifyOptions {
  /** The accepted public keys: the one whose id the manifest names checks the signature. */
  readonly publicKey: KeyObject | readonly KeyObject[];
  /** The event store whose current history the package is compared with. */
  readonly store: EventStore;
  /** The case's streams (`CaseIndex.streamsOf`); the streams the package's events came from and the case's own are read too. */
  readonly streams: readonly string[];
  /** Count events added to the case since the package was fixed as a failure too (default: reported, not a failure). */
  readonly strict?: boolean;
}

export interface ItemCheck {
  readonly name: string;
  /** `missing`: listed by the manifest, not in the package; `unexpected`: in the package, not listed. */
  readonly status: 'ok' | 'altered' | 'missing' | 'unexpected';
  readonly expectedSha256: string | null;
  readonly actualSha256: string | null;
  readonly expectedBytes: number | null;
  readonly actualBytes: number | null;
}

interface EventAt {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly globalPosition: string;
}

export type EventDifference =
  /** The stored event no longer hashes as the package recorded: `changed` lists the fields that differ, when the package's copy could be read. */
  | (EventAt & { readonly kind: 'altered'; readonly expectedSha256: string; readonly actualSha256: string; readonly changed: readonly string[]; readonly now: { readonly streamId: string; readonly streamPosition: number } })
  /** In the package, no longer in the event store. */
  | (EventAt & { readonly kind: 'dropped'; readonly expectedSha256: string })
  /**
   * In the case's current history, not in the package. `since`: after everything the package holds (the case went
   * on after the package was fixed: the EvidenceFixed event itself, a later payment); otherwise placed inside the
   * history the package fixed, which a store that only appends never does.
   */
  | (EventAt & { readonly kind: 'added'; readonly actualSha256: string; readonly since: boolean });

export interface VerifyReport {
  readonly ok: boolean;
  readonly packageId: string;
  readonly caseId: string | null;
  /** The manifest's bytes hash to the package id and read as a manifest of this format. */
  readonly manifest: { readonly ok: boolean; readonly detail: string };
  readonly signature: 'ok' | 'bad';
  readonly signatureDetail: string;
  readonly items: readonly ItemCheck[];
  readonly events: readonly EventDifference[];
  /** How many events the manifest lists (each compared with the store). */
  readonly eventsChecked: number;
  /** A report a person reads: every check and every difference, named. */
  readonly summary: string;
}

/**
 * Re-checks a package from scratch: the signature over the manifest's bytes, each item's bytes against the SHA-256
 * the manifest lists, and the manifest's events against the event store's current history of the case — an event
 * altered (named by id, stream and position), dropped, or added. Nothing in the package is trusted but the bytes.
 */
export async function verifyPackage(pkg: EvidencePackage, options: VerifyOptions): Promise<VerifyReport> {
  const keys = Array.isArray(options.publicKey) ? (options.publicKey as readonly KeyObject[]) : [options.publicKey as KeyObject];
  const computedId = packageIdOf(pkg.manifestBytes);

  let manifest: Manifest | undefined;
  let manifestCheck = { ok: true, detail: 'ok' };
  try {
    manifest = parseManifest(pkg.manifestBytes);
    if (computedId !== pkg.packageId) manifestCheck = { ok: false, detail: `manifest.json hashes to ${computedId}, not to the package id ${pkg.packageId}` };
  } catch (error) {
    manifestCheck = { ok: false, detail: `manifest.json cannot be read: ${(error as Error).message}` };
  }

  const signature = checkSignature(pkg.manifestBytes, pkg.signature, manifest?.keyId, keys);
  const signatureDetail = signature.ok ? `Ed25519, key ${signature.keyId}` : signature.detail;

  const items = manifest === undefined ? [] : checkItems(pkg, manifest);
  const events = manifest === undefined ? [] : await compareEvents(pkg, manifest, options);

  const failed =
    !manifestCheck.ok ||
    !signature.ok ||
    items.some((item) => item.status !== 'ok') ||
    events.some((difference) => difference.kind !== 'added' || !difference.since || options.strict === true);
  const report = {
    ok: !failed,
    packageId: pkg.packageId,
    caseId: manifest?.caseId ?? null,
    manifest: manifestCheck,
    signature: signature.ok ? ('ok' as const) : ('bad' as const),
    signatureDetail,
    items,
    events,
    eventsChecked: manifest?.events.length ?? 0,
  };
  return { ...report, summary: summarise(report, manifest, options.strict === true) };
}

function checkItems(pkg: EvidencePackage, manifest: Manifest): ItemCheck[] {
  const present = new Map(pkg.items.map((item) => [item.name, item]));
  const checks: ItemCheck[] = manifest.items.map((listed) => {
    const item = present.get(listed.name);
    present.delete(listed.name);
    if (item === undefined) return { name: listed.name, status: 'missing', expectedSha256: listed.sha256, actualSha256: null, expectedBytes: listed.bytes, actualBytes: null };
    const actual = sha256Hex(item.bytes);
    const status = actual === listed.sha256 && item.bytes.length === listed.bytes ? 'ok' : 'altered';
    return { name: listed.name, status, expectedSha256: listed.sha256, actualSha256: actual, expectedBytes: listed.bytes, actualBytes: item.bytes.length };
  });
  for (const item of present.values()) {
    checks.push({ name: item.name, status: 'unexpected', expectedSha256: null, actualSha256: sha256Hex(item.bytes), expectedBytes: null, actualBytes: item.bytes.length });
  }
  return checks;
}

async function compareEvents(pkg: EvidencePackage, manifest: Manifest, options: VerifyOptions): Promise<EventDifference[]> {
  const streams = [...options.streams, ...manifest.events.map((event) => event.streamId), ...caseOwnStreams(manifest.caseId)];
  const stored = await readStreams(options.store, streams);
  const byId = new Map(stored.map((event) => [event.eventId, event]));
  const packaged = packagedEvents(pkg, manifest);
  const listed = new Set(manifest.events.map((event) => event.eventId));

  const differences: EventDifference[] = [];
  for (const expected of manifest.events) {
    const at = eventAt(expected);
    const now = byId.get(expected.eventId);
    if (now === undefined) {
      differences.push({ ...at, kind: 'dropped', expectedSha256: expected.sha256 });
      continue;
    }
    const actual = eventDigest(now);
    if (actual === expected.sha256) continue;
    const before = packaged.get(expected.eventId);
    differences.push({
      ...at,
      kind: 'altered',
      expectedSha256: expected.sha256,
      actualSha256: actual,
      changed: before === undefined ? [] : changedPaths(before, now),
      now: { streamId: now.streamId, streamPosition: now.streamPosition },
    });
  }

  const last = manifest.events.reduce<string | undefined>((max, event) => (max === undefined || compareGlobalPositions(event.globalPosition, max) > 0 ? event.globalPosition : max), undefined);
  const lastInStream = new Map<string, number>();
  for (const event of manifest.events) lastInStream.set(event.streamId, Math.max(event.streamPosition, lastInStream.get(event.streamId) ?? -1));
  for (const event of caseHistory(stored, manifest.caseId)) {
    if (listed.has(event.eventId)) continue;
    const since = (last === undefined || compareGlobalPositions(event.globalPosition, last) > 0) && event.streamPosition > (lastInStream.get(event.streamId) ?? -1);
    differences.push({ ...eventAt(event), kind: 'added', actualSha256: eventDigest(event), since });
  }
  return differences;
}

function eventAt(event: ManifestEvent | EventEnvelope): EventAt {
  return { eventId: event.eventId, type: event.type, streamId: event.streamId, streamPosition: event.streamPosition, globalPosition: event.globalPosition };
}

/** The package's own copies of its events, from `events.jsonl` when that item is intact: to say what changed. */
function packagedEvents(pkg: EvidencePackage, manifest: Manifest): Map<string, unknown> {
  const copies = new Map<string, unknown>();
  const listed = manifest.items.find((item) => item.name === 'events.jsonl');
  const item = pkg.items.find((candidate) => candidate.name === 'events.jsonl');
  if (listed === undefined || item === undefined || sha256Hex(item.bytes) !== listed.sha256) return copies;
  for (const line of item.bytes.toString('utf8').split('\n')) {
    if (line === '') continue;
    const event = JSON.parse(line) as { eventId: string };
    copies.set(event.eventId, event);
  }
  return copies;
}

const MAX_PATHS = 20;

/** The JSON paths where two values differ (`data.amount.minor`, `metadata.caseId`), at most MAX_PATHS. */
export function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (Object.is(before, after)) return [];
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) return [path || '(the whole event)'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const paths: string[] = [];
  for (const key of keys) {
    const child = Array.isArray(before) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
    paths.push(...changedPaths(before[key], after[key], child));
    if (paths.length >= MAX_PATHS) return paths.slice(0, MAX_PATHS);
  }
  return paths;
}

function summarise(report: Omit<VerifyReport, 'summary'>, manifest: Manifest | undefined, strict: boolean): string {
  const lines = [`Evidence package ${report.packageId}`];
  if (manifest !== undefined) {
    lines.push(`  case ${manifest.caseId} (account ${manifest.accountId}), escalation requested ${manifest.requestedAt}`);
    lines.push(`  reasons: ${manifest.reasons.join('; ')}`);
  }
  lines.push(`  manifest: ${report.manifest.ok ? 'ok' : `BAD - ${report.manifest.detail}`}`);
  lines.push(`  signature: ${report.signature === 'ok' ? `ok (${report.signatureDetail})` : `BAD - ${report.signatureDetail}`}`);

  const badItems = report.items.filter((item) => item.status !== 'ok');
  if (manifest === undefined) lines.push('  items: not checked (the manifest cannot be read)');
  else if (badItems.length === 0) lines.push(`  items: all ${report.items.length} match the SHA-256 the manifest lists`);
  for (const item of badItems) {
    const describe = {
      altered: `ALTERED - its SHA-256 is ${item.actualSha256} (${item.actualBytes} bytes); the manifest lists ${item.expectedSha256} (${item.expectedBytes} bytes)`,
      missing: `MISSING - the manifest lists it (${item.expectedSha256}), the package does not hold it`,
      unexpected: 'UNEXPECTED - the package holds it, the manifest does not list it',
      ok: 'ok',
    }[item.status];
    lines.push(`  item ${item.name}: ${describe}`);
  }

  const faults = report.events.filter((difference) => difference.kind !== 'added' || !difference.since);
  const since = report.events.filter((difference) => difference.kind === 'added' && difference.since);
  if (manifest === undefined) lines.push('  events: not checked (the manifest cannot be read)');
  else lines.push(`  events: ${report.eventsChecked} in the package; ${report.eventsChecked - faults.filter((d) => d.kind !== 'added').length} unchanged in the event store`);
  const where = (event: EventAt) => `${event.type} at ${event.streamId} position ${event.streamPosition} (global ${event.globalPosition})`;
  for (const difference of faults) {
    switch (difference.kind) {
      case 'altered': {
        const moved = difference.now.streamId !== difference.streamId || difference.now.streamPosition !== difference.streamPosition ? `, now at ${difference.now.streamId} position ${difference.now.streamPosition}` : '';
        const changed = difference.changed.length === 0 ? '' : `; changed: ${difference.changed.join(', ')}`;
        lines.push(`  event ${difference.eventId}: ALTERED - ${where(difference)}${moved}: the store's copy hashes to ${difference.actualSha256}, the package lists ${difference.expectedSha256}${changed}`);
        break;
      }
      case 'dropped':
        lines.push(`  event ${difference.eventId}: DROPPED - ${where(difference)} is in the package but no longer in the event store`);
        break;
      case 'added':
        lines.push(`  event ${difference.eventId}: ADDED INSIDE THE FIXED HISTORY - ${where(difference)} is in the case's history now, not in the package, and sits before events the package holds`);
        break;
    }
  }
  if (since.length > 0) {
    lines.push(`  added since the package was fixed: ${since.length} event(s)${strict ? ' (counted as a failure: --strict)' : ' - the case went on; not a fault of the package'}`);
    for (const difference of since) lines.push(`    event ${difference.eventId}: ${where(difference)}`);
  }
  const problems = [!report.manifest.ok, report.signature !== 'ok', ...badItems.map(() => true), ...faults.map(() => true), ...(strict ? since.map(() => true) : [])].filter(Boolean).length;
  lines.push(report.ok ? 'VERIFIED: the package is intact and the event store still holds every event of it unchanged.' : `FAILED: ${problems} problem(s) found.`);
  return `${lines.join('\n')}\n`;
}
