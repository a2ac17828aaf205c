export * from './errors';
export * from './position';
export * from './envelope';
export * from './catalog';
export * from './messaging';
export * from './platform';
export * from './asyncapi';
