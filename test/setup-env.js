// Tests never phone home and never export telemetry unless a test asks for it.
process.env.PACT_DO_NOT_TRACK ??= 'true';
process.env.OTEL_TRACES_EXPORTER ??= 'none';
process.env.OTEL_METRICS_EXPORTER ??= 'none';
process.env.OTEL_LOGS_EXPORTER ??= 'none';
