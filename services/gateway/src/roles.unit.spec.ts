import { ROLES, type Role } from '@arrears/contracts';
import type { FastifyInstance } from 'fastify';
import { DEVELOPMENT_OPERATORS, developmentTokens } from './auth/tokens';
import { startGateway, type Gateway } from './gateway';
import { ROUTES } from './routes';
import { ROLE_MATRIX } from './testing/matrix';
import { RecordingUpstream } from './testing/recording-upstream';

/**
 * Holds the route table to the role matrix (testing/matrix/), then calls every endpoint with a token of every role
 * against the running gateway: exactly the listed roles get past the role check (anything but 401/403), every other
 * role gets 403 and nothing is sent to a service.
 */
const MATRIX = ROLE_MATRIX;

const CASE = '4f7c2a9e-1b3d-4c5e-8f6a-7b8c9d0e1f2a';

describe('the role matrix', () => {
  let gateway: Gateway;
  let upstream: RecordingUpstream;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    // Every case belongs to the development collector and has been handed to legal, so the case checks pass here.
    upstream = new RecordingUpstream((call) =>
      call.kind === 'query' && call.query === 'CaseAssignment'
        ? { collectorId: DEVELOPMENT_OPERATORS.collector.operatorId }
        : call.kind === 'query' && call.query === 'HandoffsStarted'
          ? { caseId: CASE, handoffs: 1 }
          : call.kind === 'command'
            ? { events: [] }
            : {},
    );
    gateway = await startGateway({ config: { port: 0, host: '127.0.0.1', jwtSecret: 'a-test-secret-of-at-least-thirty-two-chars', development: false, upstreamTimeoutMs: 1_000 }, topology: undefined as never, upstream });
    tokens = developmentTokens(gateway.tokens, 1);
  });

  afterAll(() => gateway.close());

  it('lists every route of the table, and only those', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of ROUTES) expect([`${route.method} ${route.path}`, [...route.roles].sort()]).toEqual([`${route.method} ${route.path}`, [...(MATRIX[`${route.method} ${route.path}`] ?? [])].sort()]);
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s answers exactly its roles', async (_name, route) => {
    const fastify = gateway.app.getHttpAdapter().getInstance() as FastifyInstance;
    const url = route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => (name === 'flag' ? 'dispute' : CASE));
    for (const role of ROLES) {
      const before = upstream.calls.length;
      const response = await fastify.inject({ method: route.method, url, headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json' }, ...(route.method === 'GET' ? {} : { payload: '{}' }) });
      const allowed = route.roles.includes(role);
      expect([role, allowed ? response.statusCode !== 403 && response.statusCode !== 401 : response.statusCode]).toEqual([role, allowed ? true : 403]);
      if (!allowed) expect(upstream.calls.length).toBe(before);
    }
  });

  it('refuses a request without a token, or with one signed by another key, as 401', async () => {
    const fastify = gateway.app.getHttpAdapter().getInstance() as FastifyInstance;
    expect((await fastify.inject({ method: 'GET', url: '/api/portfolio' })).statusCode).toBe(401);
    const forged = `${tokens.admin.slice(0, tokens.admin.lastIndexOf('.'))}.AAAA`;
    const response = await fastify.inject({ method: 'GET', url: '/api/portfolio', headers: { authorization: `Bearer ${forged}` } });
    expect([response.statusCode, response.json()]).toEqual([401, expect.objectContaining({ code: 'UNAUTHENTICATED', field: 'authorization' })]);
  });
});
