/** One Jest, four tiers, told apart by file suffix (see docs/testing.md). */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const roots = ['<rootDir>/contracts', '<rootDir>/shared', '<rootDir>/services', '<rootDir>/test', '<rootDir>/examples', '<rootDir>/scripts'];
const tier = (displayName, suffix, extra = {}) => ({
  displayName,
  roots,
  transform,
  testEnvironment: 'node',
  testMatch: [`**/*.${suffix}.spec.ts`],
  setupFiles: ['<rootDir>/test/setup-env.js'],
  ...extra,
});

module.exports = {
  projects: [
    tier('unit', 'unit'),
    tier('int', 'int', { slowTestThreshold: 30 }),
    tier('e2e', 'e2e', {
      slowTestThreshold: 60,
      // ARREARS_E2E_NATS=embedded: the same suite on the embedded NATS server (npm run test:e2e:embedded-nats).
      globalSetup: '<rootDir>/test/e2e/messaging.global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/messaging.global-teardown.ts',
    }),
    tier('pact', 'pact'),
    tier('faults', 'faults', { slowTestThreshold: 120 }),
  ],
};
