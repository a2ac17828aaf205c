export * from './contact';
export * from './events';
export * from './commands';
