import { DEFAULT_TOPOLOGY, type Topology } from '@arrears/contracts';
import { DiscardPolicy, RetentionPolicy, StorageType, nanos, type JetStreamManager, type StreamConfig } from 'nats';

export interface EventStreamSettings {
  /** How long JetStream keeps events; 0 keeps them for ever. The store is the record: NATS can be refilled. */
  readonly maxAgeMs?: number;
  /** How long a republished event id is recognised and dropped (JetStream's de-duplication window). */
  readonly duplicateWindowMs?: number;
  readonly replicas?: number;
}

export const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60_000;

/** Creates or updates the events and dead-letter streams of a topology; safe to call from every process at start. */
export async function ensureStreams(jsm: JetStreamManager, topology: Topology = DEFAULT_TOPOLOGY, settings: EventStreamSettings = {}): Promise<void> {
  const common: Partial<StreamConfig> = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: settings.replicas ?? 1,
    duplicate_window: nanos(settings.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS),
  };
  await upsert(jsm, { ...common, name: topology.eventsStream, subjects: [`${topology.eventPrefix}.>`], max_age: nanos(settings.maxAgeMs ?? 0) });
  await upsert(jsm, { ...common, name: topology.deadLetterStream, subjects: [`${topology.deadLetterPrefix}.>`], max_age: 0 });
}

async function upsert(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config);
    return;
  }
  await jsm.streams.update(config.name, config);
}

/** Removes a topology's streams (tests clean up after themselves with this). */
export async function deleteStreams(jsm: JetStreamManager, topology: Topology): Promise<void> {
  for (const name of [topology.eventsStream, topology.deadLetterStream]) {
    await jsm.streams.delete(name).catch(() => undefined);
  }
}
