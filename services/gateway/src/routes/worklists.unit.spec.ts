import { DEVELOPMENT_OPERATORS, Tokens } from '../auth/tokens';
import { handleRoute, type IncomingRequest, type RouteDependencies } from '../http/route-handler';
import { RecordingUpstream, type UpstreamCall } from '../testing/recording-upstream';
import { ROUTES, type Route } from '.';

/** What the contact, promise and plan routes send as a query's params: collectors' own worklists, paging keys, lists. */
const tokens = new Tokens('a-test-secret-of-at-least-thirty-two-chars');
const bearer = (role: keyof typeof DEVELOPMENT_OPERATORS) => ({ authorization: `Bearer ${tokens.sign(DEVELOPMENT_OPERATORS[role], 60)}` });
const COLLECTOR = DEVELOPMENT_OPERATORS.collector.operatorId;
const PLAN = '4f7c2a9e-1b3d-4c5e-8f6a-7b8c9d0e1f2a';

function route(key: string): Route {
  const found = ROUTES.find((candidate) => `${candidate.method} ${candidate.path}` === key);
  if (found === undefined) throw new Error(`no route ${key}`);
  return found;
}

async function ask(key: string, role: keyof typeof DEVELOPMENT_OPERATORS, query: IncomingRequest['query']) {
  const upstream = new RecordingUpstream();
  const dependencies: RouteDependencies = { tokens, upstream, upstreamTimeoutMs: 1_000, clock: () => new Date('2026-11-30T09:15:00.000Z'), collectorOf: async () => COLLECTOR, handedToLegal: async () => false };
  const response = await handleRoute(route(key), { params: {}, query, body: undefined, headers: bearer(role) }, dependencies);
  const sent = upstream.calls.map((call) => (call as Extract<UpstreamCall, { kind: 'query' }>).params);
  return { status: response.status, body: response.body, sent };
}

describe("a collector's worklists are their own", () => {
  it.each([
    ['GET /api/promises/due', 'operatorId', { day: '2026-11-30' }],
    ['GET /api/promises/overdue', 'operatorId', { day: '2026-11-30' }],
    ['GET /api/plans', 'proposedBy', {}],
    ['GET /api/plans/instalments/due', 'proposedBy', { from: '2026-11-30' }],
    ['GET /api/plans/instalments/overdue', 'proposedBy', { day: '2026-11-30' }],
    ['GET /api/plans/instalments/missed', 'proposedBy', {}],
  ] as const)('%s: filled in with the collector, refused for another; anyone for a supervisor', async (key, field, query) => {
    expect(await ask(key, 'collector', query)).toEqual({ status: 200, body: {}, sent: [{ ...query, [field]: COLLECTOR }] });
    expect(await ask(key, 'collector', { ...query, [field]: COLLECTOR })).toEqual({ status: 200, body: {}, sent: [{ ...query, [field]: COLLECTOR }] });
    expect(await ask(key, 'collector', { ...query, [field]: 'collector-2' })).toEqual({ status: 403, body: expect.objectContaining({ code: 'FORBIDDEN', field }), sent: [] });
    expect(await ask(key, 'supervisor', query)).toEqual({ status: 200, body: {}, sent: [query] });
    expect(await ask(key, 'supervisor', { ...query, [field]: 'collector-2' })).toEqual({ status: 200, body: {}, sent: [{ ...query, [field]: 'collector-2' }] });
  });
});

describe('query-string shapes', () => {
  it("pages the instalment lists by the previous page's nextAfter, given as its two parts", async () => {
    expect(await ask('GET /api/plans/instalments/missed', 'supervisor', { afterPlanId: PLAN, afterNumber: '3', limit: '10' })).toEqual({
      status: 200,
      body: {},
      sent: [{ after: { planId: PLAN, number: 3 }, limit: 10 }],
    });
    expect(await ask('GET /api/plans/instalments/missed', 'supervisor', { afterPlanId: PLAN })).toEqual({ status: 400, body: expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'afterNumber' }), sent: [] });
    expect(await ask('GET /api/plans/instalments/missed', 'supervisor', { afterNumber: '3' })).toEqual({ status: 400, body: expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'afterPlanId' }), sent: [] });
  });

  it('asks the best times for the debtors listed, in order', async () => {
    const debtors = ['5b8f3c1e-2f4a-4c6d-9e1a-0b2c3d4e5f60', PLAN];
    expect(await ask('GET /api/contacts/best-times', 'dialer', { debtorIds: debtors.join(',') })).toEqual({ status: 200, body: {}, sent: [{ debtorIds: debtors }] });
    expect(await ask('GET /api/contacts/best-times', 'dialer', {})).toEqual({ status: 400, body: expect.objectContaining({ field: 'debtorIds' }), sent: [] });
  });
});
