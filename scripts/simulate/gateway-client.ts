import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Role } from '@arrears/contracts';
import { Tokens } from '../../services/gateway/src/auth/tokens';
import { pathOf, SIMULATOR_ROUTES, type RouteName } from './routes';

/** Who a request is made as: the token's subject and role. */
export interface SimOperator {
  readonly operatorId: string;
  readonly role: Role;
}

export interface GatewayError {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly details?: Record<string, unknown>;
}

export type GatewayAnswer<T> = { readonly ok: true; readonly status: number; readonly body: T } | { readonly ok: false; readonly status: number; readonly error: GatewayError };

export interface CallInput {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
}

export interface GatewayClientOptions {
  readonly url: string;
  /** The gateway's JWT secret: the simulator signs a token for each of its operators. */
  readonly jwtSecret: string;
  /** How long one request may take before it is tried again; default 30 s. */
  readonly timeoutMs?: number;
  /** How many times a request is tried when the gateway or the owning service is unavailable; default 8. */
  readonly attempts?: number;
}

const TOKEN_SECONDS = 24 * 3600;
/** Unavailable, timed out, or lost in a race: a command tried again under the same Idempotency-Key is written once. */
const RETRIED = new Set(['UNAVAILABLE', 'TIMEOUT', 'CONCURRENCY_CONFLICT']);

/**
 * The simulator's HTTP client of the gateway: every request as an operator with a token of their own, commands with
 * an `Idempotency-Key` so that one retried after a timeout is written once. Counts requests by route and status.
 */
export class GatewayClient {
  private readonly tokens: Tokens;
  private readonly signed = new Map<string, { token: string; until: number }>();
  /** `<route> <status>` → requests answered so. */
  readonly counts = new Map<string, number>();

  constructor(private readonly options: GatewayClientOptions) {
    this.tokens = new Tokens(options.jwtSecret);
  }

  get url(): string {
    return this.options.url;
  }

  async call<T = Record<string, unknown>>(route: RouteName, as: SimOperator, input: CallInput = {}): Promise<GatewayAnswer<T>> {
    const { method } = SIMULATOR_ROUTES[route];
    const query = Object.entries(input.query ?? {}).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
    const url = `${this.options.url}${pathOf(route, input.params)}${query.length === 0 ? '' : `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}`}`;
    const idempotencyKey = method === 'GET' ? undefined : randomUUID();
    const attempts = this.options.attempts ?? 8;
    for (let attempt = 1; ; attempt += 1) {
      let answer: GatewayAnswer<T>;
      try {
        answer = await this.once<T>(method, url, as, input.body, idempotencyKey);
      } catch (error) {
        answer = { ok: false, status: 0, error: { code: 'UNAVAILABLE', message: `the gateway did not answer: ${error instanceof Error ? error.message : String(error)}` } };
      }
      this.count(route, answer.status);
      if (answer.ok || !RETRIED.has(answer.error.code) || attempt >= attempts) return answer;
      await sleep(Math.min(5_000, 100 * 2 ** attempt));
    }
  }

  /** The gateway's OpenAPI document. */
  async openApi(): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.options.url}/docs/json`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`GET /docs/json answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  }

  private async once<T>(method: string, url: string, as: SimOperator, body: unknown, idempotencyKey: string | undefined): Promise<GatewayAnswer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.tokenOf(as)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok) return { ok: true, status: response.status, body: (json ?? text) as T };
    const error = typeof json === 'object' && json !== null && 'code' in json ? (json as GatewayError) : { code: `HTTP_${response.status}`, message: text.slice(0, 500) };
    return { ok: false, status: response.status, error };
  }

  private tokenOf(operator: SimOperator): string {
    const key = `${operator.role}\u0000${operator.operatorId}`;
    const cached = this.signed.get(key);
    if (cached !== undefined && cached.until > Date.now()) return cached.token;
    const token = this.tokens.sign(operator, TOKEN_SECONDS);
    this.signed.set(key, { token, until: Date.now() + (TOKEN_SECONDS - 3600) * 1000 });
    return token;
  }

  private count(route: RouteName, status: number): void {
    const key = `${route} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}

/** Every page of a keyset-paged list (`{ rows, nextAfter }`), as one array; stops at an error. */
export async function allPages<Row>(fetchPage: (after: string | undefined) => Promise<GatewayAnswer<{ rows: Row[]; nextAfter: string | null }>>): Promise<GatewayAnswer<Row[]>> {
  const rows: Row[] = [];
  for (let after: string | undefined, page = 0; page < 10_000; page += 1) {
    const answer = await fetchPage(after);
    if (!answer.ok) return answer;
    rows.push(...answer.body.rows);
    if (answer.body.nextAfter === null || answer.body.nextAfter === undefined || answer.body.rows.length === 0) break;
    after = answer.body.nextAfter;
  }
  return { ok: true, status: 200, body: rows };
}
