import { isTruncated } from './mapping';

/** Looks up a stream's `$tb`; undefined when the stream has no truncation. */
export type TruncateBeforeLookup = (streamId: string) => Promise<number | undefined>;

const PARALLEL_LOOKUPS = 32;
const MAX_REMEMBERED = 10_000;

/**
 * Which `$all` events the port must not show because their stream was truncated or soft-deleted. One lookup per
 * stream, remembered for `ttlMs`: a reader of the global log asks about the same few streams again and again.
 */
export class Truncations {
  private readonly known = new Map<string, { readonly truncateBefore: number | undefined; readonly at: number }>();

  constructor(
    private readonly lookup: TruncateBeforeLookup,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Fetches what is not known (or no longer fresh) for these streams, a bounded number at a time. */
  async load(streamIds: Iterable<string>): Promise<void> {
    const stale = [...new Set(streamIds)].filter((streamId) => !this.isFresh(streamId));
    if (this.known.size + stale.length > MAX_REMEMBERED) this.known.clear();
    for (let i = 0; i < stale.length; i += PARALLEL_LOOKUPS) {
      await Promise.all(
        stale.slice(i, i + PARALLEL_LOOKUPS).map(async (streamId) => {
          const truncateBefore = await this.lookup(streamId);
          this.known.set(streamId, { truncateBefore, at: this.now() });
        }),
      );
    }
  }

  /** Whether the event is hidden; `load` its stream first. */
  hidden(streamId: string, revision: bigint): boolean {
    return isTruncated(revision, this.known.get(streamId)?.truncateBefore);
  }

  private isFresh(streamId: string): boolean {
    const entry = this.known.get(streamId);
    return entry !== undefined && this.now() - entry.at <= this.ttlMs;
  }
}
