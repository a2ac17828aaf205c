export * from './port';
export { InMemoryEventStore } from './memory/memory-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions, type StoredEventText } from './postgres/postgres-event-store';
export { runMigrations, quoteIdentifier, type Migration } from './postgres/migrations';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export * from './open-event-store';
export * from './decider/handle-command';
export { commandEventId, uuidV5 } from './decider/event-ids';
export { backoffMs, delay } from './subscription-lifecycle';
