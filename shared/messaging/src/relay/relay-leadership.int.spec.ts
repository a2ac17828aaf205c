import { ErrorCode, isArrearsError } from '@arrears/contracts';
import { createTestSchema, eventually, newEvents, rejection, uniqueName, uniqueStream } from '@arrears/testing';
import { perfectDelivery } from './testing/jetstream-log';
import { RelayHarness } from './testing/relay-harness';

describe('Relay leadership: one publisher per relay name, and takeover', () => {
  let harness: RelayHarness;
  beforeEach(async () => (harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay') })));
  afterEach(() => harness.cleanup());

  const append = async (streams: number, each: number) => {
    for (let n = 0; n < streams; n += 1) await harness.store.appendToStream(uniqueStream('account'), newEvents(each), { expectedVersion: 'no_stream' });
  };

  async function leaderAndStandby() {
    const sessions = { first: uniqueName('lock_first'), second: uniqueName('lock_second') };
    const first = await harness.relay({ lockSession: sessions.first });
    first.start();
    await eventually(() => expect(first.status().role).toBe('leader'));
    const second = await harness.relay({ lockSession: sessions.second });
    second.start();
    return { first, second, sessions };
  }

  it('only the leader publishes; when it stops, the standby takes over from its checkpoint', async () => {
    const { first, second } = await leaderAndStandby();
    await append(4, 5);
    await eventually(async () => expect(await harness.messageCount()).toBe(20));
    expect(second.status()).toMatchObject({ role: 'standby', publishedCount: 0 });
    expect(first.status().publishedCount).toBe(20);

    await first.stop();
    await eventually(() => expect(second.status().role).toBe('leader'));
    await append(4, 5);
    await eventually(async () => expect(await harness.messageCount()).toBe(40));
    expect(first.status().publishedCount).toBe(20);
    // It resumed after the checkpoint the first one saved when it stopped: nothing published twice.
    expect(second.status().publishedCount).toBe(20);
    expect(await harness.report()).toEqual(perfectDelivery(await harness.events()));
  });

  it('a leader whose lock session is terminated stops publishing at once, and the standby takes over', async () => {
    const { first, second, sessions } = await leaderAndStandby();
    let writing = true;
    // A steady trickle of events while the lock is lost: whoever believes it leads has something to publish.
    const load = (async () => {
      while (writing) {
        await append(1, 2);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await eventually(() => expect(first.status().publishedCount).toBeGreaterThan(20));

    expect(await harness.terminateSessions(sessions.first)).toBe(1);
    await eventually(() => expect(second.status().role).toBe('leader'));
    const publishedByFirst = first.status().publishedCount;
    expect(first.status().role).not.toBe('leader');
    await eventually(() => expect(second.status().publishedCount).toBeGreaterThan(20));
    writing = false;
    await load;

    const events = await harness.events();
    await eventually(async () => expect(await harness.messageCount()).toBe(events.length));
    expect(first.status().publishedCount).toBe(publishedByFirst);
    expect(await harness.report()).toEqual(perfectDelivery(events));
  });

  it('a save from a superseded leadership term is refused', async () => {
    const [event] = await (async () => {
      await append(1, 1);
      return harness.events();
    })();
    const old = await harness.checkpoints.claim('relay');
    const current = await harness.checkpoints.claim('relay');
    expect(current.term).toBe(old.term + 1);
    const refused = await rejection(harness.checkpoints.save('relay', old.term, event!.globalPosition));
    expect(isArrearsError(refused, ErrorCode.CONCURRENCY_CONFLICT)).toBe(true);
    expect(await harness.checkpoints.read('relay')).toBeUndefined();
    await harness.checkpoints.save('relay', current.term, event!.globalPosition);
    expect(await harness.checkpoints.read('relay')).toBe(event!.globalPosition);
  });

  it('relays of different names lead side by side', async () => {
    const one = await harness.relay({ name: 'one' });
    const two = await harness.relay({ name: 'two' });
    one.start();
    two.start();
    await eventually(() => expect([one.status().role, two.status().role]).toEqual(['leader', 'leader']));
  });
});
