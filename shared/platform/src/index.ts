// What every service process does the same way; the service keeps only its own wiring and rules.
export * from './closers';
export * from './clock';
export * from './stores';
export * from './microservice';
export * from './process';
export * from './health';
export * from './policy-file';
export * from './service-options';
