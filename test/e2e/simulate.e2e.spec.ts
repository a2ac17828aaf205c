import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Role } from '@arrears/contracts';
import { eventually } from '@arrears/testing';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../scripts/start/dashboard';
import type { Summary } from '../../scripts/simulate/summary';
import { DAY_MS, PlatformProcesses } from './platform-processes';

const REPO_ROOT = path.resolve(__dirname, '../..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

/**
 * The CI proof of the portfolio simulator (docs/simulator.md): a small portfolio worked for 40 simulated days by the
 * whole platform, started by the simulator through the launcher with the accelerated clock, against the machine's
 * PostgreSQL (a database of this test's own) and NATS (a topology root of its own). The simulator's invariants must
 * hold — no compliance breach, every legal handoff delivered within 48 simulated hours or reported overdue, balances
 * that reconcile exactly with the payments accepted, every event in the audit ledger, which verifies — and the test
 * checks the money and the ledger again itself, from the event store and the read model. Then the platform is started
 * again on what the simulation left, and the dashboard is looked at in headless Chromium (docs/dashboard.md).
 */
describe('npm run simulate on a small portfolio', () => {
  let platform: PlatformProcesses;
  const dir = mkdtempSync(path.join(tmpdir(), 'simulate-e2e-'));
  const jsonFile = path.join(dir, 'summary.json');
  let env: NodeJS.ProcessEnv;
  let simulation: Run;
  let summary: Summary;

  beforeAll(async () => {
    platform = await PlatformProcesses.create('e2e_simulate');
    // The simulator's own daily-review interval (one simulated hour), not the specs' "none".
    const { ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS: _none, ...platformEnv } = platform.env;
    env = platformEnv;
    // 40 accounts for 40 simulated days at 12 simulated hours a second: about 2 minutes with the platform's start and stop.
    simulation = await run(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', '--accounts', '40', '--days', '40', '--speed', '43200', '--seed', '7', '--json', jsonFile, '--settle-seconds', '90'], env, 240_000);
    summary = JSON.parse(readFileSync(jsonFile, 'utf8')) as Summary;
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs to the end and says every invariant holds', () => {
    const failed = summary.invariants.filter((invariant) => !invariant.ok);
    expect({ code: simulation.code, failed }).toEqual({ code: 0, failed: [] });
    expect(summary.invariants.map((invariant) => invariant.name)).toEqual(['no-compliance-breach', 'legal-handoffs-on-time', 'balances-reconcile', 'audit-ledger-complete']);
    expect(simulation.stdout).toContain('Every invariant holds.');
  });

  it('simulated weeks of collections: contacts asked of the compliance engine, some blocked, payments, promises, plans, handoffs to legal', () => {
    expect(summary.run).toMatchObject({ accounts: 40, days: 40, jurisdiction: 'US', missingRoutes: [] });
    expect(summary.portfolio.placedAccounts).toBe(40);
    expect(summary.contacts.allowed).toBeGreaterThan(100);
    expect(summary.contacts.blocked).toBeGreaterThan(0);
    expect(summary.recovery.paymentsAccepted).toBeGreaterThan(0);
    expect(summary.promises.recorded).toBeGreaterThan(0);
    expect(summary.plans.proposed).toBeGreaterThan(0);
    expect(summary.legal?.handoffs).toBeGreaterThan(0);
    expect(Object.values(summary.stages ?? {}).reduce((sum, n) => sum + n, 0)).toBe(40);
    expect(summary.unexpectedAnswers).toEqual({});
  });

  it('breached no compliance rule: no contact in quiet hours, no frequency cap exceeded', () => {
    expect(summary.compliance.quietHourContacts).toBe(0);
    expect(Object.values(summary.compliance.frequencyBreaches ?? { missing: 1 }).every((breaches) => breaches === 0)).toBe(true);
  });

  it('delivered every legal handoff within 48 simulated hours, or the saga reported it overdue', () => {
    const late = (summary.invariants.find((invariant) => invariant.name === 'legal-handoffs-on-time')?.examples ?? []) as unknown[];
    expect(late).toEqual([]);
    expect(summary.legal!.delivered + summary.legal!.refused).toBeLessThanOrEqual(summary.legal!.handoffs);
  });

  it('reconciles exactly, checked again from the store: each account owes what was placed less its payments, and the payments are those the simulator saw accepted', async () => {
    const client = new Client({ connectionString: platform.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ account_id: string; placed: string; paid: string; owed: string | null }>(
        `with placed as (
           select data->>'accountId' as account_id, (data->'balance'->>'principal')::bigint + (data->'balance'->>'fees')::bigint + (data->'balance'->>'interest')::bigint as placed
             from arrears_events.events where event_type = 'AccountPlaced'),
         paid as (
           select data->>'accountId' as account_id, sum((data->'amount'->>'minor')::bigint) as paid
             from arrears_events.events where event_type = 'PaymentPosted' group by 1)
         select p.account_id, p.placed, coalesce(y.paid, 0) as paid, s.total - s.credit as owed
           from placed p left join paid y using (account_id)
           left join accounts_read.account_summaries s on s.account_id = p.account_id::uuid`,
      );
      expect(rows).toHaveLength(40);
      expect(rows.filter((row) => row.owed === null || BigInt(row.owed) !== BigInt(row.placed) - BigInt(row.paid))).toEqual([]);
      expect(rows.reduce((sum, row) => sum + Number(row.paid), 0)).toBe(summary.recovery.collected);
    } finally {
      await client.end();
    }
  });

  it('recorded every event in the audit ledger, which verifies against the event store', async () => {
    expect(summary.ledger).toMatchObject({ ok: true, problemCount: 0, behind: 0 });
    const verify = await run('npm', ['run', '--silent', 'arrears', '--', 'audit', 'verify'], env, 120_000);
    expect({ code: verify.code, stderr: verify.code === 0 ? '' : verify.stderr }).toEqual({ code: 0, stderr: '' });
    expect(verify.stdout).toContain('VERIFIED');
  }, 150_000);

  /**
   * The dashboard on what the simulation left: the platform started again over its database and topology, its clock
   * (ARREARS_CLOCK_*, at 1×) going on from the simulation's last event, and the browser's clock on the day after the
   * last day a promise broke, so "broken yesterday" is that day. Every chart must be drawn from what the gateway
   * answers for the same request (the page writes what it drew on each canvas, `data-chart`), every table must show
   * the gateway's rows.
   */
  describe('the dashboard on the simulated portfolio', () => {
    const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
    const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');
    const supervisor = { role: 'supervisor' } as const;
    const auditor = { role: 'auditor' } as const;
    const wait = { timeout: 30_000 };
    let browser: Browser;
    /** The browser's now: noon (UTC, the browser's zone here) the day after the last promise broke. */
    let browserNow: Date;
    let brokenDay: string;

    interface Chart {
      readonly labels: string[];
      readonly series: { readonly label: string; readonly values: (number | null)[] }[];
    }
    type Rows = Record<string, unknown>[];
    const rowsIn = (body: unknown): Rows => (Array.isArray(body) ? body : ((Object.values(body as object).find(Array.isArray) as Rows | undefined) ?? []));
    const total = (values: readonly (number | null)[]): number => values.reduce<number>((sum, value) => sum + (value ?? 0), 0);

    async function json(url: string, operator: { readonly role: Role; readonly operatorId?: string } = supervisor): Promise<Record<string, unknown>> {
      const answer = await platform.http('GET', url, operator);
      expect([url, answer.status]).toEqual([url, 200]);
      return answer.body;
    }

    async function signIn(role: 'supervisor' | 'auditor' | 'collector', operatorId?: string): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: 'UTC' });
      await context.clock.setFixedTime(browserNow);
      const page = await context.newPage();
      await page.goto(`${platform.url}/`);
      // Valid at the browser's now, which may be days after the real one.
      const seconds = Math.max(0, Math.ceil((browserNow.getTime() - Date.now()) / 1000)) + 3_600;
      await page.fill('#token', platform.token({ role, ...(operatorId === undefined ? {} : { operatorId }) }, seconds));
      await page.click('#login button[type=submit]');
      return page;
    }

    const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `dashboard-simulated-${name}.png`), fullPage: true });
    const chartIn = async (page: Page, selector: string, index = 0): Promise<Chart> => JSON.parse((await page.locator(selector).nth(index).getAttribute('data-chart')) ?? 'null') as Chart;
    /** A table's rows as the page shows them, by column name. */
    async function tableIn(page: Page, selector: string): Promise<Record<string, string>[]> {
      const columns = await page.locator(`${selector} thead th`).allTextContents();
      const rows = await page.locator(`${selector} tbody tr`).allInnerTexts();
      return rows.map((row) => Object.fromEntries(row.split('\t').map((cell, index) => [columns[index] ?? String(index), cell.trim()])));
    }
    /** Types into a filter and leaves it, as a person does: the input's own change event reloads the panels, once. */
    const setFilter = async (page: Page, name: string, value: string) => {
      await page.fill(`#filters input[name=${name}]`, value);
      await page.press(`#filters input[name=${name}]`, 'Tab');
    };

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      if (!ensureDashboardBuilt(REPO_ROOT, (text) => process.stdout.write(`${text}\n`))) throw new Error('the dashboard did not build: npm run dashboard:build');
      const client = new Client({ connectionString: platform.database.url });
      await client.connect();
      let last: { occurred: Date; broken: string | null };
      try {
        const { rows } = await client.query<{ occurred: Date; broken: string | null }>(
          `select max(occurred_at) as occurred, max(data->>'brokenOn') filter (where event_type = 'PromiseBroken') as broken from arrears_events.events`,
        );
        last = rows[0]!;
      } finally {
        await client.end();
      }
      expect(last.broken).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
      brokenDay = last.broken!;
      browserNow = new Date(Date.parse(`${brokenDay}T12:00:00.000Z`) + DAY_MS);
      // The platform's clock goes on from the simulation's last event, at the real pace: nothing falls due meanwhile.
      const clock = { ARREARS_CLOCK_START: last.occurred.toISOString(), ARREARS_CLOCK_SPEED: '1', ARREARS_CLOCK_ANCHOR_MS: String(Date.now()) };
      await platform.startRelay();
      await platform.start('accounts', clock);
      await Promise.all((['contact-attempts', 'promises-to-pay', 'payment-plans', 'case-workflow', 'legal-escalation', 'audit'] as const).map((service) => platform.start(service, clock)));
      await platform.startGateway(clock);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
    });

    it("a supervisor sees every chart drawn from the read models, the broken-yesterday and the other worklists, and filters by product and jurisdiction", async () => {
      const team = await signIn('supervisor');
      const charts = ['#portfolio canvas', '#stages canvas', '#compliance canvas', '#recovery canvas'];
      await team.waitForFunction(`${JSON.stringify(charts)}.every((selector) => Number(document.querySelector(selector)?.getAttribute('data-points') ?? 0) > 0)`, undefined, wait);
      const from = await team.inputValue('#filters input[name=from]');
      const to = await team.inputValue('#filters input[name=to]');
      expect(to).toBe(browserNow.toISOString().slice(0, 10));

      // Portfolio: accounts per aging bucket (the tiers stacked) as the accounts read model counts them.
      const portfolioOf = async (query: string) => {
        const groups = rowsIn((await json(`/api/portfolio${query}`))['groups']);
        const perBucket: Record<string, number> = {};
        for (const group of groups) perBucket[String(group['agingBucket'] ?? 'unknown')] = (perBucket[String(group['agingBucket'] ?? 'unknown')] ?? 0) + Number(group['accounts']);
        return perBucket;
      };
      const drawnPerBucket = (chart: Chart) => Object.fromEntries(chart.labels.map((label, index) => [label, total(chart.series.map((one) => one.values[index] ?? 0))]));
      const everyProduct = await portfolioOf('');
      expect(total(Object.values(everyProduct))).toBeGreaterThan(0);
      await eventually(async () => expect(drawnPerBucket(await chartIn(team, '#portfolio canvas'))).toEqual(await portfolioOf('')), { timeoutMs: 15_000, intervalMs: 500 });

      // Cases per stage, as case-workflow counts them.
      const stages = rowsIn(await json('/api/workflow/stages'));
      expect(total(stages.map((row) => Number(row['cases'])))).toBeGreaterThan(0);
      expect(await chartIn(team, '#stages canvas')).toEqual({ labels: stages.map((row) => row['stage']), series: [{ label: 'cases', values: stages.map((row) => row['cases']) }] });

      // Blocked requests by rule in the date range, as contact-attempts reports them.
      const report = await json(`/api/contacts/compliance-report?from=${from}&to=${to}&listLimit=20`);
      const blocked = rowsIn(report['blockedByRule']);
      expect(blocked.length).toBeGreaterThan(0);
      expect(await chartIn(team, '#compliance canvas')).toEqual({ labels: blocked.map((row) => row['ruleId']), series: [{ label: 'blocked', values: blocked.map((row) => row['blocked']) }] });

      // Recovery trend, by day over the range and by month, against the target: the simulation's payments show.
      const daily = await json(`/api/portfolio/recovery?from=${from}&to=${to}&granularity=day&currency=USD`);
      const drawnDaily = await chartIn(team, '#recovery canvas', 0);
      const periods = rowsIn(daily['periods']);
      expect(drawnDaily).toEqual({
        labels: periods.map((row) => row['period']),
        series: [
          { label: 'recovered to date', values: periods.map((row) => row['cumulativeRate']) },
          { label: 'target', values: periods.map(() => daily['target']) },
        ],
      });
      expect(Math.max(...periods.map((row) => Number(row['cumulativeRate'] ?? 0)))).toBeGreaterThan(0);
      const monthlyChart = await chartIn(team, '#recovery canvas', 1);
      const monthly = await json(`/api/portfolio/recovery?from=${monthlyChart.labels[0]}-01&to=${to}&granularity=month&currency=USD`);
      expect(monthlyChart.series[0]?.values).toEqual(rowsIn(monthly['periods']).map((row) => row['cumulativeRate']));
      expect(await team.locator('#recovery table tbody tr').count()).toBe(monthlyChart.labels.length);

      // The worklists: broken yesterday (the browser's), due today, in flight to legal; the leaderboard.
      const caseLinks = (panel: string) => team.locator(`#${panel} a.case-link`).allTextContents();
      const brokenYesterday = rowsIn(await json(`/api/promises/broken?day=${brokenDay}&limit=50`)).map((row) => row['accountId']);
      expect(brokenYesterday.length).toBeGreaterThan(0);
      await eventually(async () => expect(await caseLinks('promises-broken')).toEqual(brokenYesterday), { timeoutMs: 15_000, intervalMs: 500 });
      expect(await caseLinks('promises-due')).toEqual(rowsIn(await json(`/api/promises/due?day=${to}&limit=50`)).map((row) => row['accountId']));
      expect(await caseLinks('legal')).toEqual(rowsIn(await json('/api/legal/escalations?inFlight=true&limit=50')).map((row) => row['caseId']));
      const rates = rowsIn((await json(`/api/contacts/right-party-rates?from=${from}&to=${to}`))['byCollector']);
      expect(rates.length).toBeGreaterThan(0);
      const board = await tableIn(team, '#leaderboard');
      for (const row of rates) expect(board.find((shown) => shown['collector'] === row['operatorId'])?.['rightPartyContacts']).toBe(String(row['rightPartyContacts']));
      await screenshot(team, 'supervisor');

      // One product of several: the portfolio and the recovery trend narrow to it, as the read model does.
      const products = Object.entries(summary.portfolio.byProduct).sort(([, a], [, b]) => b - a);
      expect(products.length).toBeGreaterThan(1);
      const product = products[0]![0];
      const oneProduct = await portfolioOf(`?product=${product}`);
      expect(total(Object.values(oneProduct))).toBeLessThan(total(Object.values(everyProduct)));
      await setFilter(team, 'product', product);
      await eventually(async () => expect(drawnPerBucket(await chartIn(team, '#portfolio canvas'))).toEqual(oneProduct), { timeoutMs: 15_000, intervalMs: 500 });
      const productDaily = rowsIn((await json(`/api/portfolio/recovery?from=${from}&to=${to}&granularity=day&currency=USD&product=${product}`))['periods']);
      await eventually(async () => expect((await chartIn(team, '#recovery canvas', 0)).series[0]?.values).toEqual(productDaily.map((row) => row['cumulativeRate'])), { timeoutMs: 15_000, intervalMs: 500 });

      // One jurisdiction (the debtor's of a broken promise): the stage counts and the portfolio narrow to it, as the read models do.
      const brokenCase = String(brokenYesterday[0]);
      const account = await json(`/api/accounts/${brokenCase}`);
      const shown = (account['summary'] ?? account) as Record<string, unknown>;
      const jurisdiction = String(shown['jurisdiction']);
      const stagesIn = rowsIn(await json(`/api/workflow/stages?jurisdiction=${jurisdiction}`));
      expect(total(stagesIn.map((row) => Number(row['cases'])))).toBeGreaterThan(0);
      expect(total(stagesIn.map((row) => Number(row['cases'])))).toBeLessThan(total(stages.map((row) => Number(row['cases']))));
      await setFilter(team, 'product', '');
      await setFilter(team, 'jurisdiction', jurisdiction);
      await eventually(async () => expect((await chartIn(team, '#stages canvas')).series[0]?.values).toEqual(stagesIn.map((row) => row['cases'])), { timeoutMs: 15_000, intervalMs: 500 });
      const portfolioIn = await portfolioOf(`?jurisdiction=${jurisdiction}`);
      await eventually(async () => expect(drawnPerBucket(await chartIn(team, '#portfolio canvas'))).toEqual(portfolioIn), { timeoutMs: 15_000, intervalMs: 500 });

      // That case, followed from the worklist: the account with its personal data masked, as the API gives it.
      await team.locator(`#promises-broken a.case-link:text-is("${brokenCase}")`).first().click();
      await team.waitForFunction(`location.hash === '#/case/${brokenCase}'`, undefined, wait);
      await team.waitForSelector('#account dd', wait);
      expect(shown['maskedPhone']).toEqual(expect.stringMatching(/^•+ \d{4}$/));
      const text = await team.textContent('#account');
      for (const field of ['maskedName', 'maskedPhone', 'maskedEmail']) expect(text).toContain(String(shown[field]));
      await screenshot(team, 'supervisor-case');
      await team.context().close();
    }, 120_000);

    it('an auditor follows a case to its whole timeline, page by page, and has nothing to act with', async () => {
      const caseId = String(rowsIn(await json(`/api/promises/broken?day=${brokenDay}&limit=1`))[0]?.['accountId']);
      const timeline = await json(`/api/audit/cases/${caseId}/timeline?limit=5000`, auditor);
      const eventIds = rowsIn(timeline['entries']).map((entry) => entry['eventId']);
      expect(eventIds.length).toBeGreaterThan(10);
      // Three pages of the timeline.
      const pageSize = Math.ceil(eventIds.length / 3);
      const page = await signIn('auditor');
      await page.waitForSelector('#portfolio canvas', wait);
      await setFilter(page, 'pageSize', String(pageSize));
      await page.click('#nav a:text-is("Case")');
      await page.fill('#case-lookup input[name=caseId]', caseId);
      await page.click('#case-lookup button[type=submit]');
      await page.waitForSelector('#timeline tbody tr', wait);
      expect((await tableIn(page, '#timeline')).map((row) => row['eventId'])).toEqual(eventIds.slice(0, pageSize));
      // Each "More rows" adds the next page, until the whole timeline is shown.
      for (let shown = pageSize; shown < eventIds.length; shown += pageSize) {
        await page.click('#timeline button.more');
        await page.waitForFunction(`document.querySelectorAll('#timeline tbody tr').length === ${Math.min(shown + pageSize, eventIds.length)}`, undefined, wait);
      }
      const rows = await tableIn(page, '#timeline');
      expect(rows.map((row) => row['eventId'])).toEqual(eventIds);
      expect(rows.map((row) => row['type'])).toEqual(expect.arrayContaining(['AccountPlaced', 'PromiseRecorded', 'PromiseBroken']));
      expect(await page.locator('#timeline button.more').count()).toBe(0);
      const buttons = await page.locator('main button').allTextContents();
      expect(buttons.filter((text) => !['Export CSV', 'Open', 'More rows'].includes(text))).toEqual([]);
      await screenshot(page, 'auditor-timeline');
      await page.context().close();
    }, 120_000);

    it("a collector pages through their queue, opens a case of it and is refused another collector's", async () => {
      const collectors = rowsIn(await json('/api/collectors')).map((row) => String(row['collectorId']));
      expect(collectors.length).toBeGreaterThan(1);
      const [holder, other] = collectors as [string, string];
      const theirs = rowsIn(await json('/api/me/cases?limit=200', { role: 'collector', operatorId: holder })).map((row) => String(row['caseId']));
      expect(theirs.length).toBeGreaterThan(2);
      const caseId = theirs[0]!;
      expect((await platform.http('GET', `/api/accounts/${caseId}`, { role: 'collector', operatorId: other })).status).toBe(403);

      // Their queue in two pages, the second after the first's last case (the API's nextAfter), in the API's order.
      const own = await signIn('collector', holder);
      const half = Math.ceil(theirs.length / 2);
      await own.waitForSelector('#my-cases a.case-link', wait);
      await setFilter(own, 'pageSize', String(half));
      await own.waitForFunction(`document.querySelectorAll('#my-cases tbody tr').length === ${half} && document.querySelector('#my-cases button.more') !== null`, undefined, wait);
      expect(await own.locator('#my-cases a.case-link').allTextContents()).toEqual(expect.arrayContaining(theirs.slice(0, half)));
      await own.click('#my-cases button.more');
      await own.waitForFunction(`document.querySelectorAll('#my-cases tbody tr').length === ${theirs.length}`, undefined, wait);
      expect((await tableIn(own, '#my-cases')).map((row) => row['caseId'])).toEqual(theirs);
      expect(await own.locator('#my-cases button.more').count()).toBe(0);
      await own.waitForSelector(`#my-cases a.case-link:text-is("${caseId}")`, wait);
      await own.click(`#my-cases a.case-link:text-is("${caseId}")`);
      await own.waitForSelector('#contacts table', wait);
      expect(await own.$('#timeline')).toBeNull();
      await screenshot(own, 'collector-case');
      const stranger = await signIn('collector', other);
      await stranger.waitForSelector('#my-cases', wait);
      await stranger.goto(`${platform.url}/#/case/${caseId}`);
      await stranger.waitForSelector('#case-refusal', wait);
      expect(await stranger.textContent('#case-refusal')).toMatch(/^Not your case/);
      expect(await stranger.$('#contacts')).toBeNull();
      await screenshot(stranger, 'collector-refused');
    }, 120_000);
  });
});
