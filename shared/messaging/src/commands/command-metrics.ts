import { LATENCY_BUCKETS_SECONDS, lazyInstruments } from '@arrears/observability';

/**
 * `arrears_command_duration_seconds{service,command,outcome}`: from the request's arrival to the reply, validation
 * included; `outcome` is `ok` or the error code of the reply (`VALIDATION_FAILED`, `COMPLIANCE_BLOCKED`…).
 */
export const commandMetrics = lazyInstruments('@arrears/messaging', (meter) => ({
  duration: meter.createHistogram('arrears.command.duration.seconds', {
    description: 'Time to handle a command and reply, by service, command and outcome (ok or the error code)',
    unit: 's',
    advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_SECONDS] },
  }),
}));
