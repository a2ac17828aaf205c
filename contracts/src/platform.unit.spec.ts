import { ErrorCode } from './errors';
import { PLATFORM_EVENTS, PlatformEventCatalog } from './platform';

describe('the platform event catalog', () => {
  const catalog = new PlatformEventCatalog();
  const issued = { type: 'SagaCommandIssued', schemaVersion: 1, data: { sagaId: 'x', commandId: '3b0f6f55-2c1e-4d7a-9f3e-8a1b2c3d4e5f', service: 'roster', command: 'AssignCase', data: {}, reason: 'r' } };

  it('keeps a type two services both define apart, by the owner of the stream', () => {
    expect(PLATFORM_EVENTS.filter((definition) => definition.type === 'SagaCommandIssued').map((definition) => definition.service).sort()).toEqual(['case-workflow', 'legal-escalation']);
    expect(catalog.catalogFor({ streamId: 'case-1' })?.definition('SagaCommandIssued').service).toBe('case-workflow');
    expect(catalog.catalogFor({ streamId: 'legal-1' })?.definition('SagaCommandIssued').service).toBe('legal-escalation');
    expect(catalog.decode({ ...issued, streamId: 'legal-1' }).type).toBe('SagaCommandIssued');
  });

  it('knows what each owner defines, and refuses a stream no service owns', () => {
    expect(catalog.has({ streamId: 'account-1', type: 'PaymentPosted' })).toBe(true);
    expect(catalog.has({ streamId: 'account-1', type: 'PromiseBroken' })).toBe(false);
    expect(() => catalog.decode({ ...issued, streamId: 'nobody-1' })).toThrow(expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' }));
  });
});
