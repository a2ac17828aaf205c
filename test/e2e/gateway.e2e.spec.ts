import { randomUUID } from 'node:crypto';
import { eventually } from '@arrears/testing';
import { PlatformProcesses } from './platform-processes';
import type { ServiceProcess } from '@arrears/platform/src/testing/service-process';

/**
 * One case through the HTTP API alone, as the people who work it: a supervisor registers a collector, the lender's
 * system places the account, the collector — on the case assigned to them — is blocked calling in quiet hours (422),
 * reaches the debtor, takes a promise; the payment comes in and a supervisor closes the account, and the case closes.
 * On the way every error class the gateway answers: 400, 401, 403, 404, 409, 422 and 503.
 */
describe('a case through the gateway', () => {
  let platform: PlatformProcesses;
  let promises: ServiceProcess;
  const collector = { role: 'collector', operatorId: 'collector-7' } as const;
  const otherCollector = { role: 'collector', operatorId: 'collector-8' } as const;
  const supervisor = { role: 'supervisor' } as const;
  const system = { role: 'system' } as const;
  const wait = { timeoutMs: 30_000, intervalMs: 200 };
  const accountId = randomUUID();
  const today = new Date().toISOString().slice(0, 10);
  const placement = {
    accountId,
    creditor: { creditorId: 'acme', name: 'Acme Bank' },
    creditorReference: `CC-${accountId.slice(0, 8)}`,
    product: 'credit-card',
    currency: 'USD',
    principal: 120_000,
    fees: 0,
    interest: 0,
    daysPastDue: 45,
    debtor: { debtorId: randomUUID(), name: 'Ada Example', phones: [{ number: '+1 312 555 0142', kind: 'mobile' }], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
  };

  beforeAll(async () => {
    platform = await PlatformProcesses.create('e2e_gateway');
    await platform.startRelay();
    await platform.start('accounts');
    [, promises] = await Promise.all([platform.start('contact-attempts'), platform.start('promises-to-pay'), platform.start('payment-plans'), platform.start('case-workflow'), platform.startGateway()]);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('works the case from placement to close, answering every error class on the way', async () => {
    const registered = await platform.http('POST', '/api/collectors', supervisor, { collectorId: collector.operatorId, name: 'Collector Seven', specialties: ['credit-card'], capacity: 20 });
    expect(registered.status).toBe(201);

    // Placement by the lender's system; retried with the same Idempotency-Key it writes nothing new; placed again: 409.
    const key = randomUUID();
    const placed = await platform.http('POST', '/api/accounts', system, placement, { 'idempotency-key': key });
    expect([placed.status, placed.body['commandId'], (placed.body['events'] as { type: string }[]).map((event) => event.type)]).toEqual([201, key, ['AccountPlaced', 'AgingBucketChanged', 'RiskTierChanged']]);
    const retried = await platform.http('POST', '/api/accounts', system, placement, { 'idempotency-key': key });
    expect([retried.status, retried.body['repeated']]).toEqual([201, true]);
    const again = await platform.http('POST', '/api/accounts', system, placement);
    expect([again.status, again.body['code']]).toEqual([409, 'STATE_CONFLICT']);

    // 401 without a token; 403 for a role the route does not admit; 404 for an account nobody placed.
    expect((await platform.http('GET', `/api/accounts/${accountId}`, null)).status).toBe(401);
    expect((await platform.http('POST', '/api/accounts', collector, placement)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await platform.http('GET', `/api/accounts/${randomUUID()}`, supervisor)).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    // The roster assigns the case to the collector: theirs to work, not another collector's (403).
    await eventually(async () => expect((await platform.http('GET', `/api/accounts/${accountId}/workflow`, supervisor)).body).toMatchObject({ collectorId: collector.operatorId, stage: 'contact' }), wait);
    expect((await platform.http('GET', `/api/accounts/${accountId}`, collector)).status).toBe(200);
    expect((await platform.http('GET', `/api/accounts/${accountId}`, otherCollector)).body).toMatchObject({ status: 403, code: 'FORBIDDEN', field: 'caseId' });

    // A call at 22:00 in Chicago is blocked before it happens (422, with the rule and when it is next allowed); 10:00 is allowed.
    const target = { kind: 'phone', value: '(312) 555-0142' };
    const late = await platform.http('POST', `/api/accounts/${accountId}/contacts`, collector, { contactId: randomUUID(), channel: 'call', target, intendedAt: `${today}T04:00:00.000Z` });
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ code: 'COMPLIANCE_BLOCKED', details: { nextAllowedAt: expect.any(String), decisionEventId: expect.any(String) } });
    expect(JSON.stringify(late.body['details'])).toMatch(/hour|time/i);
    const contactId = randomUUID();
    const allowed = await platform.http('POST', `/api/accounts/${accountId}/contacts`, collector, { contactId, channel: 'call', target, intendedAt: `${today}T16:00:00.000Z` });
    expect([allowed.status, (allowed.body['events'] as { type: string }[])[0]?.type]).toEqual([201, 'ContactAllowed']);
    const outcome = await platform.http('POST', `/api/accounts/${accountId}/contacts/${contactId}/outcome`, collector, { outcome: 'right-party-contact', durationSeconds: 300 });
    expect(outcome.status).toBe(200);

    // A promise: a bad amount is 400 naming the field, and writes nothing; then the promise.
    const promise = { promiseId: randomUUID(), amount: { minor: 120_000, currency: 'USD' }, dueDate: today, channel: 'call' };
    expect((await platform.http('POST', `/api/accounts/${accountId}/promises`, collector, { ...promise, amount: { minor: -1, currency: 'USD' } })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', field: 'amount.minor' });
    expect((await platform.events(`promise-${accountId}`)).length).toBe(0);
    expect((await platform.http('POST', `/api/accounts/${accountId}/promises`, collector, promise)).status).toBe(201);
    await eventually(async () => expect((await platform.http('GET', `/api/accounts/${accountId}/promises`, collector)).text).toContain(promise.promiseId), wait);

    // Paid in full by the lender's payment feed, closed by a supervisor: the case closes.
    const paid = await platform.http('POST', `/api/accounts/${accountId}/payments`, system, { paymentReference: `PAY-${accountId.slice(0, 8)}`, amount: { minor: 120_000, currency: 'USD' }, receivedOn: today, channel: 'card' });
    expect(paid.status).toBe(200);
    expect((await platform.http('POST', `/api/accounts/${accountId}/close`, supervisor, { reason: 'paid-in-full' })).status).toBe(200);
    await eventually(async () => expect((await platform.http('GET', `/api/accounts/${accountId}/workflow`, supervisor)).body).toMatchObject({ stage: 'close' }), wait);
    const account = await platform.http('GET', `/api/accounts/${accountId}`, supervisor);
    expect(account.body).toMatchObject({ summary: { status: 'closed', total: 0 } });

    // Every event of the case is bound to the operator who caused it.
    const accountEvents = await platform.events(`account-${accountId}`);
    expect(accountEvents.map((event) => [event.type, (event.metadata as { actorId?: string }).actorId])).toEqual(expect.arrayContaining([['PaymentPosted', 'system:development']]));

    // The promises service stopped: a promise cannot be taken (503), and says which service did not answer.
    promises.kill('SIGTERM');
    await promises.exited;
    const down = await platform.http('POST', `/api/accounts/${accountId}/promises`, supervisor, { ...promise, promiseId: randomUUID() });
    expect(down.body).toMatchObject({ status: 503, code: 'UNAVAILABLE', details: { service: 'promises-to-pay' } });
  }, 180_000);
});
