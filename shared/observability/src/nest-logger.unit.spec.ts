import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { nestLogger } from './nest-logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: nestLogger(createLogger({ service: 'accounts', destination, env: { LOG_LEVEL: 'trace' } })) };
}

describe('Nest log lines through pino', () => {
  it('keeps the level, the message and the context', () => {
    const { lines, logger } = capture();
    logger.log('listening', 'NestApplication');
    logger.warn?.('slow', 'JetStreamTransport');
    logger.error('failed', 'stack…', 'CommandServer');
    expect(lines.map(({ level, msg, context }) => ({ level, msg, context }))).toEqual([
      { level: 'info', msg: 'listening', context: 'NestApplication' },
      { level: 'warn', msg: 'slow', context: 'JetStreamTransport' },
      { level: 'error', msg: 'failed', context: 'CommandServer' },
    ]);
  });

  it('redacts personal fields of objects logged through Nest', () => {
    const { lines, logger } = capture();
    logger.log({ debtor: { name: 'Jane Roe', phone: '+1 312 555 0142' }, accountId: 'a-1' }, 'AccountsController');
    expect(JSON.stringify(lines)).not.toMatch(/Jane Roe|555 0142/);
    expect(lines[0]).toMatchObject({ accountId: 'a-1', debtor: { name: '[redacted]', phone: '[redacted]' } });
  });
});
