import { RequestContact } from './commands';

const request = (target: unknown) => ({ contactId: '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01', accountId: '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b', channel: 'call', target, intendedAt: '2026-11-30T16:00:00.000Z' });

describe('RequestContact targets', () => {
  it('takes the number itself or its place on file, and says which two shapes it takes otherwise', () => {
    expect(RequestContact.schema.safeParse(request({ kind: 'phone', value: '+1 312 555 0199' })).success).toBe(true);
    expect(RequestContact.schema.safeParse(request({ kind: 'phone', onFile: 0 })).success).toBe(true);
    for (const target of [{ kind: 'phone' }, { kind: 'phone', onFile: 0, value: '+1 312 555 0199' }]) {
      const parsed = RequestContact.schema.safeParse(request(target));
      expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['target'], message: expect.stringContaining('{ kind, onFile }') })]);
    }
    // A shape that is nearly right is told what is wrong in it.
    expect(RequestContact.schema.safeParse(request({ kind: 'phone', onFile: -1 })).error?.issues).toEqual([expect.objectContaining({ path: ['target', 'onFile'] })]);
    expect(RequestContact.schema.safeParse(request({ kind: 'fax', onFile: 0 })).success).toBe(false);
  });
});
