import { InMemoryKeyProvider } from './memory-key-provider';
import { describeKeyProvider } from './testing/key-provider-suite';

describeKeyProvider({
  name: 'in-memory',
  create: async () => ({ keys: new InMemoryKeyProvider(), teardown: async () => undefined }),
});
