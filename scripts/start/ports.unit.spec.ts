import { freePorts } from './ports';

describe('freePorts', () => {
  it('never gives a port already taken, nor one twice, however often the OS offers it', async () => {
    const offers = [3000, 3000, 4000, 3001, 4000, 5000];
    const offered = async () => offers.shift() as number;
    expect(await freePorts(3, [3000], offered)).toEqual([4000, 3001, 5000]);
  });

  it('gives up with a clear error rather than looping when nothing else is offered', async () => {
    await expect(freePorts(2, [3000], async () => 3000)).rejects.toThrow('Could not find 2 free ports apart from 3000');
  });

  it('finds real free ports by default', async () => {
    const ports = await freePorts(4);
    expect(new Set(ports).size).toBe(4);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});
