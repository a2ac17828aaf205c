/**
 * Runs the embedded NATS server on its own: `npx tsx shared/messaging/src/embedded-server/serve.ts [--port N]
 * [--store DIR] [--sync always|MS]`. Prints `NATS_URL=nats://…` once it accepts connections; stops on SIGINT or
 * SIGTERM.
 */
import { parseSyncPolicy, startEmbeddedNatsServer } from './embedded-nats-server';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const store = option('--store');
  const sync = option('--sync');
  const server = await startEmbeddedNatsServer({
    port: Number(option('--port') ?? 0),
    ...(store !== undefined ? { storeDir: store } : {}),
    ...(sync !== undefined ? { sync: parseSyncPolicy(sync, '--sync') } : {}),
  });
  process.stdout.write(`NATS_URL=${server.url}\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
