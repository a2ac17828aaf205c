import type { Session } from './session';

/** An error answer of the gateway: `{ status, code, message, field? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;
export type Row = Record<string, unknown>;

/** A GET under /api with the session's token; parameters left empty are not sent. */
export async function get<T = Json>(session: Session, path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, value);
  const url = query.size === 0 ? path : `${path}?${query.toString()}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${session.token}`, accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok) throw new ApiError(response.status, String(body['code'] ?? 'ERROR'), String(body['message'] ?? response.statusText), typeof body['field'] === 'string' ? body['field'] : undefined);
  return body as T;
}

/** A POST under /api with the session's token and no body; the answer's JSON. */
export async function post<T = Json>(session: Session, path: string): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: { authorization: `Bearer ${session.token}`, accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok) throw new ApiError(response.status, String(body['code'] ?? 'ERROR'), String(body['message'] ?? response.statusText), typeof body['field'] === 'string' ? body['field'] : undefined);
  return body as T;
}

/** The list in an answer: the answer itself when an array, else its first array field (`cases`, `entries`, `items`…). */
export function rowsOf(answer: unknown): Row[] {
  if (Array.isArray(answer)) return answer as Row[];
  if (typeof answer === 'object' && answer !== null) {
    for (const value of Object.values(answer)) if (Array.isArray(value)) return value as Row[];
  }
  return [];
}

/** Today as the browser's calendar day, `YYYY-MM-DD`. */
export function today(offsetDays = 0): string {
  const day = new Date(Date.now() + offsetDays * 86_400_000);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}
