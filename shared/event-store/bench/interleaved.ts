import { arrears } from './arrears-contender';
import type { ContenderId, ContenderKind, PoolSettings } from './contender';
import { emmett } from './emmett-contender';
import type { BenchOptions } from './options';
import { grouped, ms, type ServerProbe } from '@arrears/testing';
import { rawSql } from './raw-sql-contender';
import { CONTENDERS } from './results';
import {
  appendSlice,
  replayPass,
  seedLog,
  summarize,
  summarizePasses,
  warmUpProcess,
  withContender,
  type AppendFigures,
  type AppendSlice,
  type AppendWorkload,
  type ReplayFigures,
  type ReplayPass,
} from './runner';

export const KINDS: Record<ContenderId, ContenderKind> = { arrears, raw: rawSql, emmett };

type Progress = (line: string) => void;

/** Before the first workload: every contender's appends and reads, untimed (see `warmUpProcess`). */
export async function warmUp(options: BenchOptions, settings: PoolSettings, progress: Progress): Promise<void> {
  progress(`warming up each contender for ${options.processWarmupMs / 1000} s`);
  for (const id of CONTENDERS) await warmUpProcess(KINDS[id], settings, options.processWarmupMs);
}

/**
 * A workload's slices go round the contenders, each round starting with a different one, so background load
 * on a shared machine, checkpoints and autovacuum fall on all three alike.
 */
export async function measureWorkload(
  workload: AppendWorkload,
  index: number,
  options: BenchOptions,
  settings: PoolSettings,
  probe: ServerProbe,
  progress: Progress,
): Promise<Record<ContenderId, AppendFigures>> {
  await probe.settle();
  const slices: Record<ContenderId, AppendSlice[]> = { arrears: [], raw: [], emmett: [] };
  for (let round = 0; round < options.slices; round++) {
    const rates: string[] = [];
    for (const id of rotate(CONTENDERS, index + round)) {
      const slice = await appendSlice(KINDS[id], workload, settings, options, probe);
      slices[id].push(slice);
      rates.push(`${KINDS[id].label} ${grouped((slice.latencies.length * workload.eventsPerAppend) / slice.seconds)}`);
    }
    progress(`  slice ${round + 1} of ${options.slices}: ${rates.join(', ')} ev/s`);
  }
  const figures = {} as Record<ContenderId, AppendFigures>;
  for (const id of CONTENDERS) {
    const f = (figures[id] = summarize(slices[id], workload));
    progress(`  median ${KINDS[id].label}: ${grouped(f.eventsPerSecond)} ev/s, p50 ${ms(f.p50Ms)} ms, p99 ${ms(f.p99Ms)} ms`);
  }
  return figures;
}

/** Both stores' logs are topped up to the same length, then each reader replays its log; raw scans the adapter's. */
export async function measureReplays(
  options: BenchOptions,
  settings: PoolSettings,
  probe: ServerProbe,
  progress: Progress,
): Promise<Record<ContenderId, ReplayFigures>> {
  const stores = [arrears, emmett];
  const counts = await Promise.all(stores.map((kind) => withContender(kind, { ...settings, max: 1 }, (store) => store.countEvents())));
  const target = Math.max(options.replayEvents, ...counts);
  const passCounts = CONTENDERS.map((id) => `${KINDS[id].label} ${options.replayPasses[id]}`).join(', ');
  progress(`replay: pages of ${options.pageSize}; timed passes: ${passCounts}`);
  for (const kind of stores) {
    progress(`seeding ${kind.label}'s log to ${grouped(target)} events (untimed batch appends)`);
    await seedLog(kind, settings, target, progress);
  }
  // Vacuumed first, so no reader pays for setting hint bits on rows another has already visited.
  await probe.settle();
  const passes: Record<ContenderId, ReplayPass[]> = { arrears: [], raw: [], emmett: [] };
  const rounds = Math.max(...CONTENDERS.map((id) => options.replayPasses[id]));
  for (let round = 0; round < rounds; round++) {
    for (const id of rotate(CONTENDERS, round).filter((id) => round < options.replayPasses[id])) {
      const pass = await replayPass(KINDS[id], settings, options.pageSize, probe);
      passes[id].push(pass);
      progress(`replay pass ${round + 1}: ${KINDS[id].label} ${grouped(pass.read / pass.seconds)} ev/s (${grouped(pass.read)} events of ${grouped(pass.inLog)} in ${pass.seconds.toFixed(1)} s)`);
    }
  }
  const replay = {} as Record<ContenderId, ReplayFigures>;
  for (const id of CONTENDERS) replay[id] = summarizePasses(passes[id]);
  return replay;
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
