export * from './postgres';
export * from './eventually';
