import { gatewayConfig } from '../config';
import { JWT_PREVIOUS_SECRETS_ENV, Tokens } from './tokens';

const OLD = 'the-secret-before-the-rotation-0123456789';
const NEW = 'the-secret-after-the-rotation-9876543210';
const supervisor = { operatorId: 'supervisor-1', role: 'supervisor' as const };

describe('bearer tokens across a rotation of the secret', () => {
  it('accepts tokens signed with a previous secret while it is listed, and signs only with the current one', async () => {
    const before = new Tokens(OLD).sign(supervisor, 60);
    const rotated = new Tokens(NEW, [OLD]);
    expect(await rotated.operatorOf(`Bearer ${before}`)).toEqual(supervisor);
    const after = rotated.sign(supervisor, 60);
    expect(await new Tokens(NEW).operatorOf(`Bearer ${after}`)).toEqual(supervisor);
    await expect(new Tokens(OLD).operatorOf(`Bearer ${after}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // Once the old secret is dropped, its tokens stop working.
    await expect(new Tokens(NEW).operatorOf(`Bearer ${before}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('invalid signature') });
  });

  it('does not let a previous secret revive an expired token, nor turn a ticket into a bearer token', async () => {
    const expired = new Tokens(OLD).sign(supervisor, -10);
    await expect(new Tokens(NEW, [OLD]).operatorOf(`Bearer ${expired}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('expired') });
    const ticket = new Tokens(OLD).streamTicket(supervisor, 60);
    await expect(new Tokens(NEW, [OLD]).operatorOf(`Bearer ${ticket}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await new Tokens(NEW, [OLD]).operatorOfTicket(ticket)).toEqual(supervisor);
  });

  it('refuses a short previous secret, naming the variable; reads the list from the environment', () => {
    expect(() => new Tokens(NEW, ['short'])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: JWT_PREVIOUS_SECRETS_ENV }));
    const config = gatewayConfig({ NODE_ENV: 'production', ARREARS_JWT_SECRET: NEW, [JWT_PREVIOUS_SECRETS_ENV]: ` ${OLD}, another-old-secret-of-thirty-two-chars ` });
    expect(config.previousJwtSecrets).toEqual([OLD, 'another-old-secret-of-thirty-two-chars']);
    expect(gatewayConfig({ NODE_ENV: 'production', ARREARS_JWT_SECRET: NEW }).previousJwtSecrets).toEqual([]);
  });
});
