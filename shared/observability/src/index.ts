export * from './propagation';
export * from './trace-export';
export * from './telemetry';
export * from './spans';
export * from './span-tree';
export * from './logger';
export * from './http-tracing';
export * from './testing';
