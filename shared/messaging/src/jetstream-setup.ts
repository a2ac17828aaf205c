import { DEFAULT_TOPOLOGY, type Topology } from '@arrears/contracts';
import { DiscardPolicy, RetentionPolicy, StorageType, nanos, type JetStreamManager, type StreamConfig } from 'nats';

export interface EventStreamSettings {
  /** How long JetStream keeps events; 0 keeps them for ever. The store is the record: NATS can be refilled. */
  readonly maxAgeMs?: number;
  /** How long a republished event id is recognised and dropped (JetStream's de-duplication window). */
  readonly duplicateWindowMs?: number;
  /** Copies of each stream in a JetStream cluster (3 in production: docs/operations.md). */
  readonly replicas?: number;
}

export const DEFAULT_DUPLICATE_WINDOW_MS = 10 * 60_000;

/**
 * Creates or updates the events and dead-letter streams of a topology; safe to call from every process at start.
 * A stream is created with the settings given and the defaults for the rest; an existing one gets only the settings
 * given — what a process does not say (a service says nothing; the relay what it is configured with) stays as the
 * relay or an operator (`nats stream edit`) left it.
 */
export async function ensureStreams(jsm: JetStreamManager, topology: Topology = DEFAULT_TOPOLOGY, settings: EventStreamSettings = {}): Promise<void> {
  const defaults: Partial<StreamConfig> = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
    duplicate_window: nanos(DEFAULT_DUPLICATE_WINDOW_MS),
    max_age: 0,
  };
  const given: Partial<StreamConfig> = {
    ...(settings.replicas === undefined ? {} : { num_replicas: settings.replicas }),
    ...(settings.duplicateWindowMs === undefined ? {} : { duplicate_window: nanos(settings.duplicateWindowMs) }),
  };
  await upsert(jsm, { name: topology.eventsStream, subjects: [`${topology.eventPrefix}.>`] }, defaults, {
    ...given,
    ...(settings.maxAgeMs === undefined ? {} : { max_age: nanos(settings.maxAgeMs) }),
  });
  // Dead letters wait for an operator: never aged out.
  await upsert(jsm, { name: topology.deadLetterStream, subjects: [`${topology.deadLetterPrefix}.>`], max_age: 0 }, defaults, given);
}

async function upsert(jsm: JetStreamManager, fixed: Partial<StreamConfig> & { name: string }, defaults: Partial<StreamConfig>, given: Partial<StreamConfig>): Promise<void> {
  try {
    await jsm.streams.info(fixed.name);
  } catch {
    await jsm.streams.add({ ...defaults, ...given, ...fixed });
    return;
  }
  await jsm.streams.update(fixed.name, { ...given, ...fixed });
}

/** Removes a topology's streams (tests clean up after themselves with this). */
export async function deleteStreams(jsm: JetStreamManager, topology: Topology): Promise<void> {
  for (const name of [topology.eventsStream, topology.deadLetterStream]) {
    await jsm.streams.delete(name).catch(() => undefined);
  }
}
