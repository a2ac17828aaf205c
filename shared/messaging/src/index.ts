export * from './nats-connection';
export * from './jetstream-setup';
