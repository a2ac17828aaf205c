import { chooseNats, EMBEDDED_NATS_VARIABLE, NO_NATS_SERVER } from '../../scripts/start/infrastructure';

describe("npm start's choice of NATS", () => {
  const installed = () => '/usr/sbin/nats-server';
  const missing = () => undefined;

  it('uses the NATS that NATS_URL names, whatever is installed or asked', () => {
    expect(chooseNats({ NATS_URL: 'nats://nats.internal:4222', [EMBEDDED_NATS_VARIABLE]: '1' }, installed)).toEqual({ kind: 'given', url: 'nats://nats.internal:4222' });
  });

  it('starts the installed nats-server when there is one', () => {
    expect(chooseNats({}, installed)).toEqual({ kind: 'nats-server', binary: '/usr/sbin/nats-server' });
    expect(chooseNats({ NATS_URL: '  ' }, installed)).toEqual({ kind: 'nats-server', binary: '/usr/sbin/nats-server' });
  });

  it('falls back to the embedded server when no nats-server is installed, and says why and how to get the real one', () => {
    expect(chooseNats({}, missing)).toEqual({ kind: 'embedded', why: 'no-nats-server' });
    expect(NO_NATS_SERVER).toMatch(/embedded NATS server/);
    expect(NO_NATS_SERVER).toMatch(/install nats-server/i);
    expect(NO_NATS_SERVER).toContain('NATS_URL');
  });

  it(`uses the embedded server where nats-server is installed when ${EMBEDDED_NATS_VARIABLE} asks for it`, () => {
    expect(chooseNats({ [EMBEDDED_NATS_VARIABLE]: '1' }, installed)).toEqual({ kind: 'embedded', why: 'asked' });
    expect(chooseNats({ [EMBEDDED_NATS_VARIABLE]: 'true' }, installed)).toEqual({ kind: 'embedded', why: 'asked' });
    for (const off of ['', '0', 'false']) expect(chooseNats({ [EMBEDDED_NATS_VARIABLE]: off }, installed)).toEqual({ kind: 'nats-server', binary: '/usr/sbin/nats-server' });
  });
});
