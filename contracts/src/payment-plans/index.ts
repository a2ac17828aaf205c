export * from './plan';
export * from './events';
export * from './commands';
