/** One event through a path: appends (or publishes) it and records its times in the tracker. */
export type Send = () => Promise<void>;

export interface LoadResult {
  /** Events sent. */
  readonly sent: number;
  /** Open loop only: events started more than 5 ms after their turn, because every writer was busy. */
  readonly late: number;
}

/**
 * An open loop: events are due at a fixed rate whatever the path does with them (as commands arrive from users),
 * sent by at most `maxInFlight` writers at once. A path that cannot keep up shows it as late sends and a lower
 * rate, not as a silently lower offered load.
 */
export async function offeredLoad(ratePerSecond: number, durationMs: number, maxInFlight: number, send: Send): Promise<LoadResult> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let sent = 0;
  let late = 0;
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= durationMs || failure !== undefined) break;
    const due = Math.min(Math.floor((elapsed * ratePerSecond) / 1000) + 1, Math.ceil((durationMs * ratePerSecond) / 1000));
    while (sent < due && inFlight.size < maxInFlight) {
      if (elapsed - ((sent * 1000) / ratePerSecond) > 5) late += 1;
      sent += 1;
      const sending: Promise<void> = send()
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
    // The next event is due within a millisecond or two at these rates; a busy pool waits for a free writer.
    await (inFlight.size >= maxInFlight ? Promise.race(inFlight) : tick());
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { sent, late };
}

/** A closed loop: `writers` loops, each sending its next event as soon as the last one returned, for `durationMs`. */
export async function closedLoop(writers: number, durationMs: number, send: Send): Promise<LoadResult> {
  const deadline = performance.now() + durationMs;
  let sent = 0;
  const writer = async () => {
    while (performance.now() < deadline) {
      sent += 1;
      await send();
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return { sent, late: 0 };
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1));
}
