import { CLOCK_TICKS, processesNamed, processTicks, type ServerProbe } from '@arrears/testing';

/** What one measured window cost, process by process: the figures the "what limits it" note is drawn from. */
export interface BusResourceUse {
  readonly wallSeconds: number;
  /** Busy share of all cores, 0..1. */
  readonly machineBusy: number;
  /** This process: the writers (appends) or the publishers. */
  readonly benchCpuSeconds: number;
  /** The path's consumer process. */
  readonly consumerCpuSeconds: number;
  /** The relay's process (Arrears only; it idles, polling, during the raw path's slices). */
  readonly relayCpuSeconds: number;
  readonly natsCpuSeconds: number;
  /** The benchmark database's backends: the writers', the relay's reads, checkpoints and lock. */
  readonly postgresCpuSeconds: number;
  /** Everything else: PostgreSQL's WAL writer and checkpointer, other sessions on the machine. */
  readonly otherCpuSeconds: number;
  readonly walBytes: number;
  readonly walSyncs: number;
}

export interface BusSpan {
  end(): Promise<BusResourceUse>;
}

/** The server probe's figures, with the relay's and nats-server's CPU taken out of "everything else". */
export class BusProbe {
  constructor(
    private readonly server: ServerProbe,
    private readonly relayPid: number | undefined,
    private readonly natsPid: number | undefined,
  ) {}

  get measuresNats(): boolean {
    return this.natsPid !== undefined;
  }

  /** Starts a measured window of the path whose consumer runs as `consumerPid`. */
  async begin(consumerPid: number | undefined): Promise<BusSpan> {
    const pids = [this.relayPid, this.natsPid, consumerPid].filter((pid): pid is number => pid !== undefined);
    const span = await this.server.begin();
    const before = processTicks(pids);
    return {
      end: async () => {
        const after = processTicks(pids);
        const use = await span.end();
        const seconds = (pid: number | undefined) => (pid === undefined ? 0 : ((after.get(pid) ?? 0) - (before.get(pid) ?? 0)) / CLOCK_TICKS);
        const relayCpuSeconds = seconds(this.relayPid);
        const natsCpuSeconds = seconds(this.natsPid);
        const consumerCpuSeconds = seconds(consumerPid);
        return {
          wallSeconds: use.wallSeconds,
          machineBusy: use.machineBusy,
          benchCpuSeconds: use.clientCpuSeconds,
          consumerCpuSeconds,
          relayCpuSeconds,
          natsCpuSeconds,
          postgresCpuSeconds: use.serverCpuSeconds,
          otherCpuSeconds: Math.max(0, use.otherCpuSeconds - relayCpuSeconds - natsCpuSeconds - consumerCpuSeconds),
          walBytes: use.walBytes,
          walSyncs: use.walSyncs,
        };
      },
    };
  }
}

/** The local nats-server serving `url`, if it runs on this machine (found by its command line's port). */
export function localNatsServerPid(url: string): number | undefined {
  const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) return undefined;
  const wanted = port === '' ? '4222' : port;
  const servers = processesNamed('nats-server');
  const portOf = (args: readonly string[]) => {
    const at = args.findIndex((arg) => arg === '-p' || arg === '--port');
    const inline = args.find((arg) => /^--?p(ort)?=/.test(arg));
    return at >= 0 ? args[at + 1] : inline?.split('=')[1];
  };
  return servers.find(({ args }) => (portOf(args) ?? '4222') === wanted)?.pid;
}

export function addUp(uses: readonly BusResourceUse[]): BusResourceUse {
  const sum = (pick: (use: BusResourceUse) => number) => uses.reduce((total, use) => total + pick(use), 0);
  const wallSeconds = sum((use) => use.wallSeconds);
  return {
    wallSeconds,
    machineBusy: wallSeconds > 0 ? sum((use) => use.machineBusy * use.wallSeconds) / wallSeconds : 0,
    benchCpuSeconds: sum((use) => use.benchCpuSeconds),
    consumerCpuSeconds: sum((use) => use.consumerCpuSeconds),
    relayCpuSeconds: sum((use) => use.relayCpuSeconds),
    natsCpuSeconds: sum((use) => use.natsCpuSeconds),
    postgresCpuSeconds: sum((use) => use.postgresCpuSeconds),
    otherCpuSeconds: sum((use) => use.otherCpuSeconds),
    walBytes: sum((use) => use.walBytes),
    walSyncs: sum((use) => use.walSyncs),
  };
}
