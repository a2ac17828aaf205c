import { randomUUID } from 'node:crypto';
import { startRunningAudit, type RunningAudit } from '@arrears/audit/src/testing/running-audit';
import type { Role } from '@arrears/contracts';
import { developmentTokens } from '@arrears/gateway/src/auth/tokens';
import { startGateway, type Gateway } from '@arrears/gateway/src/gateway';
import { accountPlaced, paymentPosted } from '@arrears/testing';

/**
 * The gateway's /api/audit/… over the real path: HTTP with a bearer token, the role check, a query over NATS to the
 * audit service running in this process, its answer from the ledger it fed itself from the relay — the bytes the
 * command line prints.
 */
describe('the audit endpoints at the gateway', () => {
  let audit: RunningAudit;
  let gateway: Gateway;
  let tokens: Record<Role, string>;
  const caseId = randomUUID();

  const get = (path: string, role: Role) => fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${tokens[role]}` } });

  beforeAll(async () => {
    audit = await startRunningAudit('audit_gateway');
    gateway = await startGateway({
      config: { port: 0, host: '127.0.0.1', jwtSecret: 'a-test-secret-of-at-least-thirty-two-chars', development: false, upstreamTimeoutMs: 10_000 },
      topology: audit.harness.topology,
      nats: audit.harness.nats,
    });
    tokens = developmentTokens(gateway.tokens, 1);
    await audit.record(`account-${caseId}`, [
      accountPlaced(caseId),
      paymentPosted(caseId, { reference: 'P-1', minor: 1_000, receivedOn: '2026-11-29', principalAfter: 79_000 }),
    ]);
  });

  afterAll(async () => {
    await gateway?.close();
    await audit?.close();
  });

  it("lets an auditor download a case's CSV export, the bytes of `arrears audit export --case --format csv`; a collector gets 403", async () => {
    const response = await get(`/api/audit/cases/${caseId}/export.csv`, 'auditor');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="case-${caseId}.csv"`);
    expect(await response.text()).toBe((await audit.cli('export', '--case', caseId, '--format', 'csv')).out);

    const refused = await get(`/api/audit/cases/${caseId}/export.csv`, 'collector');
    expect([refused.status, await refused.json()]).toEqual([403, expect.objectContaining({ code: 'FORBIDDEN' })]);
  });

  it('gives a supervisor the compliance reports but not the case tools; maps the service’s errors to statuses', async () => {
    const report = await get('/api/audit/reports/operator-activity.csv?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'supervisor');
    expect(report.status).toBe(200);
    expect(await report.text()).toBe((await audit.cli('report', 'operator-activity', '--from', '2026-11-01T00:00:00Z', '--to', '2026-12-01T00:00:00Z')).out);
    expect((await get(`/api/audit/cases/${caseId}/timeline`, 'supervisor')).status).toBe(403);

    const timeline = await get(`/api/audit/cases/${caseId}/timeline?limit=1`, 'auditor');
    expect([timeline.status, await timeline.json()]).toEqual([200, expect.objectContaining({ caseId, total: 2, nextOffset: 1 })]);
    const bad = await get(`/api/audit/cases/${caseId}/state?at=2026-11-29T12:00:00`, 'auditor');
    expect([bad.status, await bad.json()]).toEqual([400, expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'at' })]);
    const unknown = await get(`/api/audit/cases/${randomUUID()}/state?at=2026-11-29T12:00:00Z`, 'auditor');
    expect([unknown.status, await unknown.json()]).toEqual([404, expect.objectContaining({ code: 'NOT_FOUND', field: 'caseId' })]);
    const verified = await get('/api/audit/verification?requireComplete=true', 'admin');
    expect([verified.status, await verified.json()]).toEqual([200, expect.objectContaining({ ok: true, entriesChecked: 2 })]);
  });
});
