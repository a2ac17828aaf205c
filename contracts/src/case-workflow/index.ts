export * from './case';
export * from './events';
export * from './commands';
