// Stops the embedded NATS server messaging.global-setup.ts started, if it did.
export { stopMessaging as default } from './messaging.global-setup';
