import { createHash } from 'node:crypto';

/** The UUID namespace of event ids derived from commands; fixed for ever, or retried commands would get new ids. */
export const COMMAND_EVENT_NAMESPACE = '5d1f6f0e-3c1a-4b8e-9a57-2f0a3c7e9b41';

/** RFC 9562 UUID version 5 (SHA-1 of namespace and name): the same inputs give the same id on every machine. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the `index`-th event a command produces in a stream. Deterministic, so that two processes handling
 * the same command at once write the same ids and the store's idempotent append keeps only one batch.
 */
export function commandEventId(commandId: string, streamId: string, index: number): string {
  return uuidV5(`${commandId}/${streamId}/${index}`, COMMAND_EVENT_NAMESPACE);
}

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`"${uuid}" is not a UUID`);
  return Buffer.from(hex, 'hex');
}
