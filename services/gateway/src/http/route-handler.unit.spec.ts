import { ArrearsError, ErrorCode, accounts } from '@arrears/contracts';
import { DEVELOPMENT_OPERATORS, Tokens } from '../auth/tokens';
import type { Route } from '../routes';
import { RecordingUpstream, type UpstreamCall } from '../testing/recording-upstream';
import { handleRoute, type IncomingRequest, type RouteDependencies } from './route-handler';

const tokens = new Tokens('a-test-secret-of-at-least-thirty-two-chars');
const NOW = new Date('2026-11-30T09:15:00.000Z');
const ACCOUNT = '4f7c2a9e-1b3d-4c5e-8f6a-7b8c9d0e1f2a';
const bearer = (role: keyof typeof DEVELOPMENT_OPERATORS) => ({ authorization: `Bearer ${tokens.sign(DEVELOPMENT_OPERATORS[role], 60)}` });

const payment: Route = { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/payments', command: accounts.PostPayment, roles: ['supervisor'], tag: 't', summary: 's' };
const list: Route = {
  kind: 'query',
  method: 'GET',
  path: '/api/accounts',
  service: 'accounts',
  query: 'ListAccounts',
  roles: ['supervisor', 'collector'],
  tag: 't',
  summary: 's',
  parameters: [
    { name: 'limit', type: 'integer', description: 'page size' },
    { name: 'status', type: 'string', description: 'status', enum: ['open', 'closed'] },
    { name: 'asOf', type: 'date-time', description: 'instant' },
  ],
};
const validPayment = { paymentReference: 'BANK-0001', amount: { minor: 2500, currency: 'USD' }, receivedOn: '2026-11-29' };

function dependencies(upstream: RecordingUpstream, collectorId: string | null = null, handedToLegal = false): RouteDependencies {
  return { tokens, upstream, upstreamTimeoutMs: 1_000, clock: () => NOW, collectorOf: async () => collectorId, handedToLegal: async () => handedToLegal };
}

const request = (overrides: Partial<IncomingRequest>): IncomingRequest => ({ params: {}, query: {}, body: undefined, headers: {}, ...overrides });

describe('a request through a route', () => {
  it('sends the command bound to the operator, with the request instant as now and the Idempotency-Key as command id', async () => {
    const upstream = new RecordingUpstream();
    const key = '0b4f8a62-9c1d-4e2f-8a3b-5c6d7e8f9a0b';
    const correlation = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
    const response = await handleRoute(payment, request({ params: { accountId: ACCOUNT }, body: validPayment, headers: { ...bearer('supervisor'), 'idempotency-key': key, 'x-correlation-id': correlation } }), dependencies(upstream));
    expect(response.status).toBe(200);
    const call = upstream.calls[0] as Extract<UpstreamCall, { kind: 'command' }>;
    expect(call.service).toBe('accounts');
    expect(call.command).toMatchObject({
      commandId: key,
      type: 'PostPayment',
      data: { accountId: ACCOUNT, ...validPayment },
      metadata: { correlationId: correlation, causationId: key, caseId: ACCOUNT, actorId: DEVELOPMENT_OPERATORS.supervisor.operatorId, actorRole: 'supervisor', now: NOW.toISOString() },
    });
    expect(response.body).toMatchObject({ commandId: key, correlationId: correlation });
    expect(response.headers).toMatchObject({ 'x-command-id': key, 'x-correlation-id': correlation });
  });

  it('refuses an invalid body with 400 naming the field, and sends nothing', async () => {
    const upstream = new RecordingUpstream();
    const response = await handleRoute(payment, request({ params: { accountId: ACCOUNT }, body: { ...validPayment, amount: { minor: -5, currency: 'USD' } }, headers: bearer('supervisor') }), dependencies(upstream));
    expect([response.status, response.body]).toEqual([400, expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'amount.minor' })]);
    expect(upstream.calls).toEqual([]);
  });

  it('refuses an Idempotency-Key that is not a UUID', async () => {
    const upstream = new RecordingUpstream();
    const response = await handleRoute(payment, request({ params: { accountId: ACCOUNT }, body: validPayment, headers: { ...bearer('supervisor'), 'idempotency-key': 'again' } }), dependencies(upstream));
    expect([response.status, response.body]).toEqual([400, expect.objectContaining({ field: 'idempotency-key' })]);
    expect(upstream.calls).toEqual([]);
  });

  it.each([
    [ErrorCode.NOT_FOUND, 404],
    [ErrorCode.STATE_CONFLICT, 409],
    [ErrorCode.CONCURRENCY_CONFLICT, 409],
    [ErrorCode.IDEMPOTENCY_CONFLICT, 409],
    [ErrorCode.FORBIDDEN, 403],
    [ErrorCode.TIMEOUT, 503],
    [ErrorCode.UNAVAILABLE, 503],
    [ErrorCode.INTERNAL, 500],
  ] as const)("maps the service's %s to %i, keeping the message and field", async (code, status) => {
    const upstream = new RecordingUpstream(() => {
      throw new ArrearsError(code, `it said ${code}`, { field: 'accountId' });
    });
    const response = await handleRoute(payment, request({ params: { accountId: ACCOUNT }, body: validPayment, headers: bearer('supervisor') }), dependencies(upstream));
    expect([response.status, response.body]).toEqual([status, expect.objectContaining({ status, code, message: `it said ${code}`, field: 'accountId' })]);
  });

  it('answers a contact the compliance engine blocked with 422, its reasons and the next allowed time', async () => {
    const requestContact: Route = { kind: 'command', method: 'POST', path: '/api/cases/:accountId/contacts', command: { ...accounts.PostPayment, type: 'RequestContact' }, roles: ['supervisor'], tag: 't', summary: 's' };
    const reasons = [{ rule: 'call-hours', outcome: 'blocked', detail: '22:10 local is outside 08:00–21:00' }];
    const upstream = new RecordingUpstream(() => ({ streamId: 'contact-1', repeated: false, events: [{ eventId: 'e-1', type: 'ContactBlocked', streamId: 'contact-1', streamPosition: 3, globalPosition: '1', data: { reasons, nextAllowedAt: '2026-12-01T13:00:00.000Z' } }] }));
    const response = await handleRoute(requestContact, request({ params: { accountId: ACCOUNT }, body: validPayment, headers: bearer('supervisor') }), dependencies(upstream));
    expect([response.status, response.body]).toEqual([422, expect.objectContaining({ code: 'COMPLIANCE_BLOCKED', details: expect.objectContaining({ reasons, nextAllowedAt: '2026-12-01T13:00:00.000Z', decisionEventId: 'e-1' }) })]);
  });

  it('answers a script refused for prohibited language with 422, naming the text and the hits, the refusal recorded', async () => {
    const saveScript: Route = { kind: 'command', method: 'PUT', path: '/api/scripts/:accountId', command: { ...accounts.PostPayment, type: 'SaveScript' }, roles: ['supervisor'], tag: 't', summary: 's' };
    const hits = [{ ruleId: 'threat-arrest', category: 'threat', term: 'arrest' }];
    const upstream = new RecordingUpstream(() => ({ streamId: 'script-1', repeated: false, events: [{ eventId: 'e-2', type: 'ScriptRejected', streamId: 'script-1', streamPosition: 0, globalPosition: '2', data: { hits } }] }));
    const response = await handleRoute(saveScript, request({ params: { accountId: ACCOUNT }, body: validPayment, headers: bearer('supervisor') }), dependencies(upstream));
    expect([response.status, response.body]).toEqual([422, expect.objectContaining({ code: 'COMPLIANCE_BLOCKED', field: 'text', details: expect.objectContaining({ hits, decisionEventId: 'e-2' }) })]);
    expect((response.body as { message: string }).message).toContain('"arrest"');
  });

  it('coerces query parameters to their declared types and refuses unknown or malformed ones, naming them', async () => {
    const upstream = new RecordingUpstream();
    const ok = await handleRoute(list, request({ query: { limit: '20', status: 'open', asOf: '2026-11-30T00:00:00Z' }, headers: bearer('supervisor') }), dependencies(upstream));
    expect(ok.status).toBe(200);
    expect(upstream.calls[0]).toMatchObject({ kind: 'query', service: 'accounts', query: 'ListAccounts', params: { limit: 20, status: 'open', asOf: '2026-11-30T00:00:00Z' }, asker: { actorRole: 'supervisor' } });
    for (const [query, field] of [[{ limit: 'ten' }, 'limit'], [{ status: 'gone' }, 'status'], [{ asOf: 'yesterday' }, 'asOf'], [{ sort: 'name' }, 'sort']] as const) {
      const response = await handleRoute(list, request({ query, headers: bearer('supervisor') }), dependencies(upstream));
      expect([response.status, response.body]).toEqual([400, expect.objectContaining({ code: 'VALIDATION_FAILED', field })]);
    }
    expect(upstream.calls).toHaveLength(1);
  });

  it("lets a collector use a case's route only on a case assigned to them", async () => {
    const detail: Route = { ...list, path: '/api/accounts/:accountId', query: 'AccountDetail', parameters: [], ownCases: { roles: ['collector'], caseId: (r) => r.params['accountId'] } };
    const mine = new RecordingUpstream();
    const own = await handleRoute(detail, request({ params: { accountId: ACCOUNT }, headers: bearer('collector') }), dependencies(mine, DEVELOPMENT_OPERATORS.collector.operatorId));
    expect(own.status).toBe(200);
    const theirs = new RecordingUpstream();
    const other = await handleRoute(detail, request({ params: { accountId: ACCOUNT }, headers: bearer('collector') }), dependencies(theirs, 'another-collector'));
    expect([other.status, other.body]).toEqual([403, expect.objectContaining({ code: 'FORBIDDEN', field: 'caseId' })]);
    expect(theirs.calls).toEqual([]);
    // A supervisor is not limited to assigned cases.
    expect((await handleRoute(detail, request({ params: { accountId: ACCOUNT }, headers: bearer('supervisor') }), dependencies(new RecordingUpstream(), 'another-collector'))).status).toBe(200);
  });

  it("lets the legal role read a case only once it has been handed to legal", async () => {
    const detail: Route = { ...list, path: '/api/accounts/:accountId', query: 'AccountDetail', parameters: [], roles: ['legal', 'supervisor'], ownCases: { roles: ['collector'], caseId: (r) => r.params['accountId'] } };
    const handed = new RecordingUpstream();
    expect((await handleRoute(detail, request({ params: { accountId: ACCOUNT }, headers: bearer('legal') }), dependencies(handed, null, true))).status).toBe(200);
    expect(handed.calls).toHaveLength(1);
    const notHanded = new RecordingUpstream();
    const refused = await handleRoute(detail, request({ params: { accountId: ACCOUNT }, headers: bearer('legal') }), dependencies(notHanded, null, false));
    expect([refused.status, refused.body]).toEqual([403, expect.objectContaining({ code: 'FORBIDDEN', field: 'caseId', message: expect.stringContaining('has not been handed to legal') })]);
    expect(notHanded.calls).toEqual([]);
    // Other roles are not asked about legal.
    expect((await handleRoute(detail, request({ params: { accountId: ACCOUNT }, headers: bearer('supervisor') }), dependencies(new RecordingUpstream(), null, false))).status).toBe(200);
  });

  it('answers a bug with INTERNAL and no detail, and hands the cause to the log', async () => {
    const upstream = new RecordingUpstream(() => {
      throw new TypeError('cannot read properties of undefined (password=hunter2)');
    });
    const logged: string[] = [];
    const response = await handleRoute(payment, request({ params: { accountId: ACCOUNT }, body: validPayment, headers: bearer('supervisor') }), {
      ...dependencies(upstream),
      onUnexpected: (error, route, correlationId) => logged.push(`${route.path} ${correlationId} ${(error as Error).message}`),
    });
    expect([response.status, response.body]).toEqual([500, expect.objectContaining({ code: 'INTERNAL' })]);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(logged).toEqual([expect.stringContaining('cannot read properties')]);
  });

  it('refuses an expired token', async () => {
    const expired = tokens.sign(DEVELOPMENT_OPERATORS.supervisor, -10);
    const response = await handleRoute(list, request({ headers: { authorization: `Bearer ${expired}` } }), dependencies(new RecordingUpstream()));
    expect([response.status, response.body]).toEqual([401, expect.objectContaining({ code: 'UNAUTHENTICATED' })]);
  });
});
