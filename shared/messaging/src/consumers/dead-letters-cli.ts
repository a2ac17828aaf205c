import { parseArgs } from 'node:util';
import { ArrearsError, ErrorCode, isServiceName, natsTopology } from '@arrears/contracts';
import { connectNats, natsUrl } from '../nats-connection';
import { listDeadLetters, replayDeadLetters, type DeadLetter, type DeadLetterQuery } from './dead-letters';

export interface CliOutput {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

const OPTIONS = {
  service: { type: 'string' },
  handler: { type: 'string' },
  limit: { type: 'string' },
  root: { type: 'string', default: 'arrears' },
  'nats-url': { type: 'string' },
} as const;

/**
 * `npm run arrears -- dlq <list|replay> --service <name> [--handler <name>] [--limit <n>] [--root arrears] [--nats-url …]`.
 * `list` prints one line per dead letter; `replay` moves them back to their handlers, one line each, then a summary.
 * Resolves with the exit code.
 */
export async function main(argv: string[], io: CliOutput = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'list' && command !== 'replay') {
    io.err.write(`${command === undefined ? 'A command is needed.' : `Unknown command "${command}".`}\n\n${usage()}`);
    return command === 'help' || command === '--help' ? 0 : 2;
  }
  let query: Omit<DeadLetterQuery, 'js' | 'jsm'>;
  let url: string;
  try {
    ({ query, url } = parse(rest));
  } catch (error) {
    io.err.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage()}`);
    return 2;
  }
  const nc = await connectNats('arrears-dlq-cli', { servers: url, maxReconnectAttempts: 0 });
  try {
    const full = { ...query, js: nc.jetstream(), jsm: await nc.jetstreamManager() };
    if (command === 'list') {
      const letters = await listDeadLetters(full);
      letters.forEach((letter) => io.out.write(`${describeLetter(letter)}\n`));
      io.err.write(`${letters.length} dead letter(s) for ${scope(query)}\n`);
      return 0;
    }
    const { replayed } = await replayDeadLetters(full, { onReplayed: (letter) => io.err.write(`replayed ${describeLetter(letter)}\n`) });
    io.err.write(`${replayed.length} dead letter(s) of ${scope(query)} sent back to their handlers\n`);
    return 0;
  } finally {
    await nc.drain();
  }
}

function parse(argv: string[]): { query: Omit<DeadLetterQuery, 'js' | 'jsm'>; url: string } {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.service === undefined || !isServiceName(values.service)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `--service must name a service (got ${values.service ?? 'nothing'})`, { field: 'service' });
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `--limit must be a positive whole number (got ${values.limit})`, { field: 'limit' });
  }
  return {
    url: values['nats-url'] ?? natsUrl(),
    query: {
      topology: natsTopology(values.root),
      service: values.service,
      ...(values.handler === undefined ? {} : { handler: values.handler }),
      ...(limit === undefined ? {} : { limit }),
    },
  };
}

function describeLetter(letter: DeadLetter): string {
  const code = letter.errorCode === undefined ? '' : `${letter.errorCode} `;
  return `#${letter.sequence} ${letter.handler} ${letter.originalSubject} event ${letter.eventId ?? '(none)'} after ${letter.deliveries} deliveries at ${letter.failedAt}: ${code}${letter.error}`;
}

function scope(query: Omit<DeadLetterQuery, 'js' | 'jsm'>): string {
  return query.handler === undefined ? `service ${query.service}` : `${query.service} handler ${query.handler}`;
}

function usage(): string {
  return [
    'usage: npm run arrears -- dlq <list|replay> --service <name> [options]',
    '  --handler <name>   only this handler\'s dead letters (default: all of the service\'s)',
    '  --limit <n>        at most n, oldest first',
    '  --root <root>      the NATS topology root (default arrears)',
    '  --nats-url <url>   default NATS_URL or nats://127.0.0.1:4222',
    '',
  ].join('\n');
}
