import { ROOT_CONTEXT, SpanKind, context } from '@opentelemetry/api';
import type { DestinationStream } from 'pino';
import { createLogger, redactionPaths } from './logger';
import { contextFromTrace } from './propagation';
import { withSpan } from './spans';
import { startTestTelemetry, type TestTelemetry } from './testing';

/** A pino destination that keeps each JSON line in memory. */
function memoryDestination(): DestinationStream & { readonly lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  return {
    write: (line: string) => {
      written.push(line);
    },
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  let telemetry: TestTelemetry;

  beforeAll(() => {
    telemetry = startTestTelemetry('accounts');
  });
  afterEach(() => telemetry.reset());
  afterAll(() => telemetry.shutdown());

  it('writes JSON lines with the service, level and message', () => {
    const destination = memoryDestination();
    createLogger({ service: 'accounts', destination, env: {} }).info({ accountId: 'a-1' }, 'account placed');

    const [line] = destination.lines();
    expect(line).toMatchObject({ service: 'accounts', level: 'info', msg: 'account placed', accountId: 'a-1' });
    expect(typeof line?.['time']).toBe('string');
  });

  it('carries the active span’s trace_id, span_id and trace_flags inside a span', async () => {
    const destination = memoryDestination();
    const logger = createLogger({ service: 'accounts', destination, env: {} });
    const parent = contextFromTrace({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, ROOT_CONTEXT);
    const spanId = await withSpan('place account', SpanKind.SERVER, parent, {}, (span) => {
      logger.info('placing');
      return span.spanContext().spanId;
    });

    expect(destination.lines()[0]).toMatchObject({ trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: spanId, trace_flags: '01' });
  });

  it('adds no trace fields outside a span', () => {
    const destination = memoryDestination();
    context.with(ROOT_CONTEXT, () => createLogger({ service: 'accounts', destination, env: {} }).info('idle'));

    const [line] = destination.lines();
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
    expect(line).not.toHaveProperty('trace_flags');
  });

  it('redacts personal data at the top level and nested, in objects and arrays', () => {
    const destination = memoryDestination();
    createLogger({ service: 'accounts', destination, env: {} }).info(
      {
        accountId: 'a-1',
        name: 'Ada Debtor',
        phones: ['+15551234567'],
        debtor: { nationalId: '123-45-6789', email: 'ada@example.com', balance: { minor: 1200, currency: 'USD' } },
        event: { data: { debtor: { phone: '+15557654321', address: '1 Main St' } } },
        contacts: [{ emails: ['a@example.com'], channel: 'email' }],
      },
      'debtor updated',
    );

    const serialised = JSON.stringify(destination.lines()[0]);
    for (const secret of ['Ada Debtor', '+15551234567', '123-45-6789', 'ada@example.com', '+15557654321', '1 Main St', 'a@example.com']) {
      expect(serialised).not.toContain(secret);
    }
    expect(destination.lines()[0]).toMatchObject({
      accountId: 'a-1',
      name: '[redacted]',
      phones: '[redacted]',
      debtor: { nationalId: '[redacted]', email: '[redacted]', balance: { minor: 1200, currency: 'USD' } },
      event: { data: { debtor: { phone: '[redacted]', address: '[redacted]' } } },
      contacts: [{ emails: '[redacted]', channel: 'email' }],
    });
  });

  it('takes its level from LOG_LEVEL unless one is given', () => {
    const fromEnv = memoryDestination();
    const logger = createLogger({ service: 'accounts', destination: fromEnv, env: { LOG_LEVEL: 'warn' } });
    logger.info('dropped');
    logger.warn('kept');
    expect(fromEnv.lines().map((line) => line['msg'])).toEqual(['kept']);

    const given = memoryDestination();
    createLogger({ service: 'accounts', destination: given, level: 'debug', env: { LOG_LEVEL: 'warn' } }).debug('kept too');
    expect(given.lines().map((line) => line['msg'])).toEqual(['kept too']);
  });

  it('builds one redaction path per field and depth', () => {
    expect(redactionPaths(['phone'], 2)).toEqual(['phone', '*.phone', '*.*.phone']);
  });
});
