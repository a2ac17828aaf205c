/**
 * Jobs run one at a time, in the order asked; asking for a job (by key) that is queued or running gives its promise
 * rather than a second run. What is done is forgotten: the next request for it runs again, on the data as it is then.
 * A failed job fails its askers and does not stop the next.
 */
export class SharedJobs {
  /** The last job asked for, its failure caught: never rejects. */
  private tail: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<string, Promise<unknown>>();

  run<Result>(key: string, job: () => Promise<Result>): Promise<Result> {
    const known = this.pending.get(key);
    if (known !== undefined) return known as Promise<Result>;
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    this.pending.set(key, result);
    const forget = () => void this.pending.delete(key);
    result.then(forget, forget);
    return result;
  }
}
