import { LATENCY_BUCKETS_SECONDS, lazyInstruments } from '@arrears/observability';

/** `arrears_query_duration_seconds{service,query,outcome}`: as for commands, `outcome` is `ok` or the error code. */
export const queryMetrics = lazyInstruments('@arrears/messaging', (meter) => ({
  duration: meter.createHistogram('arrears.query.duration.seconds', {
    description: 'Time to answer a read-model query, by service, query and outcome (ok or the error code)',
    unit: 's',
    advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_SECONDS] },
  }),
}));
