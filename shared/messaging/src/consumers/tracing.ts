import { trace, type Tracer } from '@opentelemetry/api';

/** Looked up per use: a tracer kept from import time would outlive a telemetry restart (tests restart it). */
export function messagingTracer(): Tracer {
  return trace.getTracer('@arrears/messaging');
}
