import { SharedJobs } from './shared-jobs';

/** A job that finishes when the test says so, counting its runs. */
function gate<Result>(result: Result) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const gated = {
    runs: 0,
    open,
    job: async () => {
      gated.runs += 1;
      await opened;
      return result;
    },
  };
  return gated;
}

describe('jobs shared by their askers, one at a time', () => {
  it('gives a second asker of a running job its promise: one run', async () => {
    const jobs = new SharedJobs();
    const verify = gate('report');
    const first = jobs.run('verify', verify.job);
    const second = jobs.run('verify', verify.job);
    expect(second).toBe(first);
    verify.open();
    await expect(Promise.all([first, second])).resolves.toEqual(['report', 'report']);
    expect(verify.runs).toBe(1);
  });

  it('runs other jobs after the one running, and joins a queued one too', async () => {
    const jobs = new SharedJobs();
    const verify = gate('verified');
    const report = gate('reported');
    const running = jobs.run('verify', verify.job);
    const queued = jobs.run('report', report.job);
    await Promise.resolve();
    expect([verify.runs, report.runs]).toEqual([1, 0]);
    expect(jobs.run('report', report.job)).toBe(queued);
    verify.open();
    await running;
    report.open();
    await expect(queued).resolves.toBe('reported');
    expect(report.runs).toBe(1);
  });

  it('forgets a job once done: the next ask runs it again', async () => {
    const jobs = new SharedJobs();
    const verify = gate('verified');
    verify.open();
    await jobs.run('verify', verify.job);
    await jobs.run('verify', verify.job);
    expect(verify.runs).toBe(2);
  });

  it('fails the askers of a failed job, and runs the next', async () => {
    const jobs = new SharedJobs();
    const failed = jobs.run('verify', () => Promise.reject(new Error('the pool is closed')));
    const next = jobs.run('report', async () => 'reported');
    await expect(failed).rejects.toThrow('the pool is closed');
    await expect(next).resolves.toBe('reported');
    await expect(jobs.run('verify', async () => 'verified')).resolves.toBe('verified');
  });
});
