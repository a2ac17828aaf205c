export * from './postgres';
export * from './eventually';
export * from './events';
export * from './bench';
export * from './random';
export * from './decider-spec';
export * from './service-events';
