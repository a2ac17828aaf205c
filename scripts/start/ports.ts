import { createServer, type AddressInfo } from 'node:net';

/** Whether nothing listens on `port` at `host` (the launcher binds its servers to 127.0.0.1). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `count` ports the OS considers free right now, none of them in `taken` nor twice: a port chosen and released is not
 * bound until its server starts, so the OS may offer it again meanwhile.
 */
export async function freePorts(count: number, taken: Iterable<number> = [], offered: () => Promise<number> = () => freePort()): Promise<number[]> {
  const avoid = new Set(taken);
  const ports: number[] = [];
  for (let tries = 0; ports.length < count; tries += 1) {
    if (tries >= count * 20) throw new Error(`Could not find ${count} free ports apart from ${[...avoid].join(', ')}`);
    const port = await offered();
    if (avoid.has(port)) continue;
    avoid.add(port);
    ports.push(port);
  }
  return ports;
}

/** The first of `preferred` that is free (the one remembered, then the default), else any free port. */
export async function choosePort(preferred: readonly (number | undefined)[]): Promise<number> {
  for (const port of preferred) if (port !== undefined && (await isPortFree(port))) return port;
  return freePort();
}
