/** The NATS header block: `NATS/1.0[ code description]\r\n` then `Name: value\r\n` lines, then `\r\n`. */

export function encodeHeaders(fields: readonly (readonly [string, string])[], status?: { code: number; description: string }): Buffer {
  const first = status === undefined ? 'NATS/1.0' : `NATS/1.0 ${status.code}${status.description === '' ? '' : ` ${status.description}`}`;
  return Buffer.from(`${first}\r\n${fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`);
}

/** The values of one header (names compared case-insensitively, like the Go server's canonical lookup). */
export function headerValue(block: Buffer | undefined, name: string): string | undefined {
  if (block === undefined || block.length === 0) return undefined;
  const wanted = name.toLowerCase();
  const lines = block.toString('utf8').split('\r\n');
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}
