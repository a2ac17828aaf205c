/** Where a process is in its life, as readiness reports it: traffic only while `ready`. */
export type ReadinessState = 'starting' | 'ready' | 'stopping';

/**
 * The process's own part of readiness, set by whoever runs it: ready once its start resolved, not ready again as
 * soon as stopping begins (so a load balancer stops sending work before the drain, not after it). It only moves
 * forward: a process that began stopping never becomes ready again.
 */
export class Readiness {
  private current: ReadinessState = 'starting';

  get state(): ReadinessState {
    return this.current;
  }

  markReady(): void {
    if (this.current === 'starting') this.current = 'ready';
  }

  markStopping(): void {
    this.current = 'stopping';
  }
}
