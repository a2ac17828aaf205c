import type { KeyObject } from 'node:crypto';
import type { Topology } from '@arrears/contracts';
import type { LoggerService } from '@nestjs/common';
import type { NatsConnection } from 'nats';

/** What every service's start function takes (README, "Configuration"), beside what is its own. */
export interface ServiceOptions {
  readonly databaseUrl: string;
  /** Set (`EVENTSTOREDB_URL`): the event store is EventStoreDB's; PostgreSQL keeps everything else. */
  readonly eventStoreDbUrl?: string;
  /** Where the event store's tables are (shared by every service and the relay); default `arrears_events`. */
  readonly storeSchema?: string;
  /** The personal-data keys; default `arrears_pii`. */
  readonly keySchema?: string;
  /** The service's read models; each service has its own default (`accounts_read`, `plans_read`…). */
  readonly readSchema?: string;
  readonly masterKey: KeyObject | Uint8Array;
  readonly topology?: Topology;
  /** A NATS connection the caller owns; otherwise the transport opens its own (`NATS_URL`). */
  readonly nats?: NatsConnection;
  readonly logger?: LoggerService | false;
  /** How long a debtor's key is reused before the key store is asked again (an erasure elsewhere is seen after it). */
  readonly keyCacheTtlMs?: number;
  /** The platform clock wherever time passes in the service (timers, reviews, dead letters); default the real one. */
  readonly clock?: () => Date;
}

/** What a service with durable timers takes besides. */
export interface TimedServiceOptions extends ServiceOptions {
  /** The durable timers; default `arrears_timers`. */
  readonly timerSchema?: string;
  /** How often the timer poller looks for due timers; default 1000 ms. */
  readonly timerPollIntervalMs?: number;
}
