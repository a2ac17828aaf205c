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

/** The first of `preferred` that is free (the one remembered, then the default), else any free port. */
export async function choosePort(preferred: readonly (number | undefined)[]): Promise<number> {
  for (const port of preferred) if (port !== undefined && (await isPortFree(port))) return port;
  return freePort();
}
