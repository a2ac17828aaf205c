export * from './account';
export * from './events';
export * from './commands';
export * from './standing';
