import type { Output } from './output';
import type { Part } from './parts';

export interface ReadinessAnswer {
  readonly ready: boolean;
  /** Why not, in a few words: what the health body names. */
  readonly detail: string;
}

/** One look at a readiness URL: 200 is ready; anything else says why not as far as the body tells. */
export async function probe(url: string, timeoutMs = 2_000): Promise<ReadinessAnswer> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body: unknown = await response.json().catch(() => undefined);
    return response.ok ? { ready: true, detail: 'ready' } : { ready: false, detail: describeHealth(response.status, body) };
  } catch {
    return { ready: false, detail: 'not answering yet' };
  }
}

/**
 * A failing health answer in a few words: terminus' body (`error: { database: { message } }`) as
 * `database: <message>`, the relay's (`problems: [...]`) as its problems, anything else as its status code.
 */
export function describeHealth(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const failed = (body as { error?: unknown }).error;
    if (typeof failed === 'object' && failed !== null && Object.keys(failed).length > 0) {
      return Object.entries(failed as Record<string, { message?: unknown; state?: unknown }>)
        .map(([key, value]) => `${key}: ${typeof value?.message === 'string' ? value.message : typeof value?.state === 'string' ? value.state : 'down'}`)
        .join('; ');
    }
    const problems = (body as { problems?: unknown }).problems;
    if (Array.isArray(problems) && problems.length > 0) return problems.map(String).join('; ');
  }
  return `HTTP ${status}`;
}

export interface ReadinessTarget {
  readonly part: Part;
  readonly url: string;
}

/**
 * Polls every target until each answers ready, saying so for each and, every 10 s, who is still waited for and why.
 * Gives up when `halted` resolves (returns false), and throws when a target ends or `timeoutMs` passes.
 */
export async function waitUntilReady(targets: readonly ReadinessTarget[], output: Output, halted: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  const pending = new Map(targets.map((target) => [target.part.name, target]));
  const details = new Map<string, string>();
  let isHalted = false;
  void halted.then(() => (isHalted = true));
  let failure: string | undefined;
  for (const { part } of targets) void part.ended.then((how) => (failure ??= `${part.name} ${how}`));
  let lastReport = Date.now();
  while (pending.size > 0) {
    if (isHalted) return false;
    if (failure !== undefined) throw new Error(failure);
    if (Date.now() - started > timeoutMs) {
      throw new Error(`not ready after ${Math.round(timeoutMs / 1_000)} s: ${[...pending.keys()].map((name) => `${name} (${details.get(name) ?? 'no answer'})`).join(', ')}`);
    }
    const answers = await Promise.all([...pending.values()].map(async (target) => ({ target, answer: await probe(target.url) })));
    for (const { target, answer } of answers) {
      if (answer.ready) {
        pending.delete(target.part.name);
        output.say(`${target.part.name} is ready (${Math.round((Date.now() - started) / 100) / 10} s)`);
      } else {
        details.set(target.part.name, answer.detail);
      }
    }
    if (pending.size > 0 && Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      output.say(`waiting for ${[...pending.keys()].map((name) => `${name} (${details.get(name) ?? 'no answer'})`).join(', ')}`);
    }
    if (pending.size > 0) await Promise.race([new Promise((resolve) => setTimeout(resolve, 250)), halted]);
  }
  return !isHalted;
}
