export * from './saga';
export * from './effects';
export * from './saga-runtime';
export * from './saga-service';
