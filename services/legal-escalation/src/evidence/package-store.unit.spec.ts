import { InMemoryPackageStore } from './package-store';
import { describePackageStore } from './testing/package-store-suite';

describePackageStore({ name: 'in memory', create: async () => ({ store: new InMemoryPackageStore(), teardown: async () => undefined }) });
