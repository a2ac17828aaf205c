import { ArrearsError, ErrorCode, type Topology } from '@arrears/contracts';

/** How a consumer retries and how much it takes on at once; the transport's defaults, overridable per handler. */
export interface ConsumerSettings {
  /** How long JetStream waits for an ack before it redelivers; a running handler keeps extending it. */
  readonly ackWaitMs: number;
  /** Deliveries before a failing event goes to the dead-letter stream (N). */
  readonly maxDeliver: number;
  /** Delay before delivery k + 1 after delivery k failed: entry k − 1, the last entry repeating. */
  readonly backoffMs: readonly number[];
  /** Events of one handler being handled at the same time in this process. */
  readonly concurrency: number;
  /** How long one pull request waits for events before the next one is made. */
  readonly fetchExpiresMs: number;
}

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = {
  ackWaitMs: 30_000,
  maxDeliver: 5,
  backoffMs: [1_000, 5_000, 15_000, 30_000, 60_000],
  concurrency: 4,
  fetchExpiresMs: 5_000,
};

/** Where a new consumer starts. Only used when the durable consumer is created; an existing one keeps its place. */
export type DeliverFrom = 'all' | 'new' | { readonly sequence: number } | { readonly time: string };

/** The `extras` of `@EventPattern(subject, extras)`. */
export interface EventHandlerOptions extends Partial<ConsumerSettings> {
  /**
   * The handler's name: with the service name it makes the durable consumer's name, the dead-letter subject and
   * the idempotency key, so it must stay the same across releases. Defaults to one derived from the subject.
   */
  readonly name?: string;
  /**
   * `per-case`: events of one case are never handled at the same time nor out of stream order, also across
   * retries and across instances. Bought by allowing one unacknowledged event per consumer: the handler then
   * handles one event at a time.
   */
  readonly ordered?: 'per-case';
  /** Default `all`: a new service sees the whole history. */
  readonly deliverFrom?: DeliverFrom;
}

/** One `@EventPattern` handler, resolved: its names, its consumer's settings. */
export interface HandlerSpec {
  readonly service: string;
  readonly name: string;
  readonly filterSubject: string;
  /** The durable consumer on the events stream; also the key `processOnce` records events under. */
  readonly durable: string;
  /** The durable consumer on the dead-letter stream that receives this handler's replayed dead letters. */
  readonly replayDurable: string;
  readonly ordered: boolean;
  readonly deliverFrom: DeliverFrom;
  readonly settings: ConsumerSettings;
}

const NAME = /^[A-Za-z0-9_-]+$/;

/** `arrears.evt.promises-to-pay.PromiseBroken` → `promises-to-pay_PromiseBroken`; `*` → `any`, `>` → `all`. */
export function handlerNameFromSubject(filterSubject: string, topology: Topology): string {
  const local = filterSubject.startsWith(`${topology.eventPrefix}.`) ? filterSubject.slice(topology.eventPrefix.length + 1) : filterSubject;
  return local
    .split('.')
    .map((token) => (token === '*' ? 'any' : token === '>' ? 'all' : token.replace(/[^A-Za-z0-9_-]/g, '_')))
    .join('_');
}

/** Durable names may not hold `.`, `*`, `>` or spaces; `__` separates service and handler. */
export function durableName(service: string, handler: string): string {
  return `${service}__${handler}`;
}

export function resolveHandler(service: string, filterSubject: string, options: EventHandlerOptions, defaults: ConsumerSettings, topology: Topology): HandlerSpec {
  if (!filterSubject.startsWith(`${topology.eventPrefix}.`)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `@EventPattern('${filterSubject}') is not an event subject of this topology (${topology.eventPrefix}.>)`, {
      field: 'pattern',
    });
  }
  const name = options.name ?? handlerNameFromSubject(filterSubject, topology);
  if (!NAME.test(name)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Handler name "${name}" may only hold letters, digits, _ and -`, { field: 'name' });
  }
  const ordered = options.ordered === 'per-case';
  const settings: ConsumerSettings = {
    ackWaitMs: options.ackWaitMs ?? defaults.ackWaitMs,
    maxDeliver: options.maxDeliver ?? defaults.maxDeliver,
    backoffMs: options.backoffMs ?? defaults.backoffMs,
    // One unacknowledged event at a time is what keeps the order; more slots here would sit idle.
    concurrency: ordered ? 1 : (options.concurrency ?? defaults.concurrency),
    fetchExpiresMs: options.fetchExpiresMs ?? defaults.fetchExpiresMs,
  };
  checkSettings(settings, name);
  const durable = durableName(service, name);
  return { service, name, filterSubject, durable, replayDurable: `${durable}__replay`, ordered, deliverFrom: options.deliverFrom ?? 'all', settings };
}

/** The delay before the next delivery after delivery `deliveries` failed. */
export function backoffDelay(settings: ConsumerSettings, deliveries: number): number {
  const { backoffMs } = settings;
  return backoffMs[Math.min(Math.max(deliveries, 1), backoffMs.length) - 1] ?? 0;
}

function checkSettings(settings: ConsumerSettings, name: string): void {
  const invalid = (field: string, rule: string) =>
    new ArrearsError(ErrorCode.VALIDATION_FAILED, `Handler ${name}: ${field} must be ${rule}`, { field });
  if (!(settings.maxDeliver >= 1)) throw invalid('maxDeliver', 'at least 1');
  if (!(settings.concurrency >= 1)) throw invalid('concurrency', 'at least 1');
  if (!(settings.ackWaitMs >= 1_000)) throw invalid('ackWaitMs', 'at least 1000');
  if (!(settings.fetchExpiresMs >= 1_000)) throw invalid('fetchExpiresMs', 'at least 1000 (a NATS limit)');
  if (settings.backoffMs.length === 0 || settings.backoffMs.some((ms) => !(ms >= 0))) throw invalid('backoffMs', 'a non-empty list of delays ≥ 0');
}
