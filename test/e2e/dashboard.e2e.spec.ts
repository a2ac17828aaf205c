import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { eventually } from '@arrears/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/start/dashboard';
import { PlatformProcesses } from './platform-processes';

/** Debian's chromium package (`.ci/run` installs it): playwright-core drives it, nothing is downloaded. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

/**
 * The dashboard in headless Chromium against the platform as processes: a supervisor signs in and sees the charts
 * drawn from what was placed and worked through the API, with live updates; an auditor follows a case to its timeline
 * replayed from the audit ledger; a collector sees their queue and is refused another collector's case. Screenshots
 * go to test-artifacts/.
 */
describe('the dashboard', () => {
  let platform: PlatformProcesses;
  let browser: Browser;
  const supervisor = { role: 'supervisor' } as const;
  const system = { role: 'system' } as const;
  const collectors = ['collector-a', 'collector-b'];
  const accountIds = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const wait = { timeoutMs: 30_000, intervalMs: 250 };
  const today = new Date().toISOString().slice(0, 10);

  const placement = (accountId: string, daysPastDue: number, product: string) => ({
    accountId,
    creditor: { creditorId: 'acme', name: 'Acme Bank' },
    creditorReference: `CC-${accountId.slice(0, 8)}`,
    product,
    currency: 'USD',
    principal: 50_000 + daysPastDue * 1_000,
    fees: 0,
    interest: 0,
    daysPastDue,
    debtor: { debtorId: randomUUID(), name: 'Ada Example', phones: [{ number: '+1 312 555 0142', kind: 'mobile' }], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
  });

  async function signIn(role: 'supervisor' | 'auditor' | 'collector', operatorId?: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${platform.url}/`);
    await page.fill('#token', platform.token({ role, ...(operatorId === undefined ? {} : { operatorId }) }));
    await page.click('#login button[type=submit]');
    return page;
  }

  const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    if (!ensureDashboardBuilt(path.resolve(__dirname, '../..'), (text) => process.stdout.write(`${text}\n`))) throw new Error('the dashboard did not build: npm run dashboard:build');
    platform = await PlatformProcesses.create('e2e_dashboard');
    await platform.startRelay();
    await platform.start('accounts');
    await Promise.all(['contact-attempts', 'promises-to-pay', 'case-workflow', 'legal-escalation', 'audit'].map((service) => platform.start(service as never)));
    await platform.startGateway();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('shows the team its portfolio, a case its timeline, and keeps collectors to their own cases', async () => {
    // Two collectors, four accounts placed by the lender's system, each assigned by the roster.
    for (const collectorId of collectors) expect((await platform.http('POST', '/api/collectors', supervisor, { collectorId, name: `Collector ${collectorId}`, specialties: ['credit-card'], capacity: 20 })).status).toBe(201);
    const dpd = [15, 45, 75, 120];
    for (const [index, accountId] of accountIds.entries()) expect((await platform.http('POST', '/api/accounts', system, placement(accountId, dpd[index] ?? 30, 'credit-card'))).status).toBe(201);
    const holders = new Map<string, string>();
    await eventually(async () => {
      for (const accountId of accountIds) {
        const workflow = await platform.http('GET', `/api/accounts/${accountId}/workflow`, supervisor);
        expect(workflow.body['collectorId']).toEqual(expect.any(String));
        holders.set(accountId, String(workflow.body['collectorId']));
      }
    }, wait);
    const caseId = accountIds[0] as string;
    const holder = { role: 'collector', operatorId: holders.get(caseId) as string } as const;
    const other = collectors.find((id) => id !== holder.operatorId) as string;

    // Its collector works the case: a call at 22:00 in Chicago is blocked, one at 10:00 reaches the debtor, a promise for today.
    const target = { kind: 'phone', value: '(312) 555-0142' };
    expect((await platform.http('POST', `/api/accounts/${caseId}/contacts`, holder, { contactId: randomUUID(), channel: 'call', target, intendedAt: `${today}T04:00:00.000Z` })).status).toBe(422);
    const contactId = randomUUID();
    expect((await platform.http('POST', `/api/accounts/${caseId}/contacts`, holder, { contactId, channel: 'call', target, intendedAt: `${today}T16:00:00.000Z` })).status).toBe(201);
    expect((await platform.http('POST', `/api/accounts/${caseId}/contacts/${contactId}/outcome`, holder, { outcome: 'right-party-contact', durationSeconds: 240 })).status).toBe(200);
    expect((await platform.http('POST', `/api/accounts/${caseId}/promises`, holder, { promiseId: randomUUID(), amount: { minor: 20_000, currency: 'USD' }, dueDate: today, channel: 'call' })).status).toBe(201);
    await eventually(async () => expect((await platform.http('GET', `/api/promises/due?day=${today}`, supervisor)).text).toContain(caseId), wait);

    // The event stream wants a dashboard user: a token in the header, or a ticket in the URL — never a token there.
    expect((await fetch(`${platform.url}/api/events/stream`)).status).toBe(401);
    expect((await fetch(`${platform.url}/api/events/stream`, { headers: { authorization: `Bearer ${platform.token(system)}` } })).status).toBe(403);
    expect((await fetch(`${platform.url}/api/events/stream?access_token=${platform.token(supervisor)}`)).status).toBe(401);
    expect((await platform.http('POST', '/api/events/tickets', system)).status).toBe(403);
    const abort = new AbortController();
    const stream = await fetch(`${platform.url}/api/events/stream`, { headers: { authorization: `Bearer ${platform.token(supervisor)}` }, signal: abort.signal });
    expect([stream.status, stream.headers.get('content-type')]).toEqual([200, 'text/event-stream; charset=utf-8']);
    abort.abort();

    // The dashboard is served at / with its assets; an unknown path under /api is still the API's 404.
    const index = await fetch(`${platform.url}/`);
    expect([index.status, index.headers.get('content-type'), (await index.text()).includes('<main id="app">')]).toEqual([200, 'text/html; charset=utf-8', true]);
    expect((await platform.http('GET', '/api/no-such-route', supervisor)).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    // A supervisor: the charts drawn with data, the leaderboard, the promise due today; an event arriving shows live.
    const team = await signIn('supervisor');
    // The page's own expressions (strings): this file is compiled without the DOM's types.
    await team.waitForFunction(`['portfolio', 'stages', 'compliance'].every((id) => Number(document.querySelector('#' + id + ' canvas')?.getAttribute('data-points') ?? 0) > 0)`, undefined, { timeout: 30_000 });
    await team.waitForSelector(`#leaderboard td:text-is("${holder.operatorId}")`, { timeout: 30_000 });
    await team.waitForSelector(`#promises-due a.case-link:text-is("${caseId}")`, { timeout: 30_000 });
    await team.waitForFunction(`document.querySelector('#live')?.textContent === 'live'`, undefined, { timeout: 15_000 });
    expect((await platform.http('POST', '/api/accounts', system, placement(randomUUID(), 200, 'credit-card'))).status).toBe(201);
    await team.waitForFunction(`document.querySelector('#live')?.textContent?.startsWith('live · ') === true`, undefined, { timeout: 15_000 });
    await screenshot(team, 'supervisor');

    // An auditor follows the case to its timeline, replayed from the audit ledger; the pages offer nothing to do.
    const auditor = await signIn('auditor');
    await auditor.waitForSelector('#portfolio canvas');
    await auditor.goto(`${platform.url}/#/case/${caseId}`);
    await auditor.waitForSelector('#timeline td:text-is("AccountPlaced")', { timeout: 30_000 });
    expect(await auditor.textContent('#timeline')).toContain('PromiseRecorded');
    const buttons = await auditor.locator('main button').allTextContents();
    expect(buttons.filter((text) => !['Export CSV', 'Open', 'More rows'].includes(text))).toEqual([]);
    await screenshot(auditor, 'auditor-timeline');

    // The case's collector sees it in their queue and opens it; the other collector is refused it.
    const own = await signIn('collector', holder.operatorId);
    await own.waitForSelector(`#my-cases a.case-link:text-is("${caseId}")`, { timeout: 30_000 });
    await own.click(`#my-cases a.case-link:text-is("${caseId}")`);
    await own.waitForSelector('#contacts table', { timeout: 30_000 });
    expect(await own.$('#timeline')).toBeNull();
    await screenshot(own, 'collector-case');
    const stranger = await signIn('collector', other);
    await stranger.waitForSelector('#my-cases');
    await stranger.goto(`${platform.url}/#/case/${caseId}`);
    await stranger.waitForSelector('#case-refusal', { timeout: 30_000 });
    expect(await stranger.textContent('#case-refusal')).toMatch(/^Not your case/);
    expect(await stranger.$('#contacts')).toBeNull();
    await screenshot(stranger, 'collector-refused');
  }, 240_000);
});
