import './style.css';
import { ApiError, get, post, rowsOf, today, type Json, type Row } from './api';
import { barChart, lineChart, releaseCharts } from './charts';
import { canReplay, canSeeTeam, canSeeWorklists, currentSession, signIn, signOut, type Session } from './session';
import { flatten, pagedTable, table, type Page } from './table';

/*
 * The supervisors' morning dashboard: hash routes (#/login, #/team, #/queue, #/case/<id>), each page a set of panels
 * that read the gateway's API with the signed-in person's token, and reload when the event stream says something
 * changed. The dashboard offers no commands: it is for looking, whatever the role.
 */

const app = document.getElementById('app') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;

/** The panels of the page shown, each able to load itself again; the case page's case, to filter live notices. */
let panels: { reload(): void }[] = [];
let pageCaseId: string | null = null;

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
};

/** A titled panel whose content `load` makes; an error of the API shows as the panel's content, saying why. */
function panel(title: string, id: string, load: () => Promise<(Node | string)[]>, wide = false): HTMLElement {
  const section = element('section', { className: wide ? 'panel wide' : 'panel', id });
  const body = element('div', { className: 'body' }, 'Loading…');
  section.append(element('h2', { textContent: title }), body);
  const reload = (): void => {
    load()
      .then((content) => {
        releaseCharts(body);
        body.replaceChildren(...content);
      })
      .catch((error: unknown) => body.replaceChildren(errorNote(error)));
  };
  panels.push({ reload });
  reload();
  return section;
}

function errorNote(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 403) return element('p', { className: 'refusal', textContent: `Not allowed (${error.code}): ${error.message}` });
  return element('p', { className: 'error', textContent: error instanceof Error ? error.message : String(error) });
}

const hours = (ms: unknown): string => (typeof ms === 'number' ? `${(ms / 3_600_000).toFixed(1)} h` : '');
const money = (minor: unknown): string => (typeof minor === 'number' ? (minor / 100).toFixed(2) : '');
const percent = (rate: unknown): string => (typeof rate === 'number' ? `${(rate * 100).toFixed(1)} %` : '');

// ---- filters -----------------------------------------------------------------------------------------------------

interface Filters {
  creditorId: string;
  product: string;
  jurisdiction: string;
  from: string;
  to: string;
  /** Rows a page of every paged table, on every page of the dashboard (1–200: the API's largest page). */
  pageSize: string;
}

const filters: Filters = { creditorId: '', product: '', jurisdiction: '', from: today(-30), to: today(), pageSize: '50' };

/**
 * A list the API pages by keyset (`limit`, `after` → `nextAfter`), a page of `filters.pageSize` rows at a time;
 * `shape` makes each row what the table shows.
 */
const keyset =
  (session: Session, path: string, params: Record<string, string> = {}, shape: (row: Row) => Row = (row) => row) =>
  async (after?: string): Promise<Page> => {
    const answer = await get(session, path, { ...params, limit: filters.pageSize, after });
    return { rows: rowsOf(answer).map(shape), next: typeof answer['nextAfter'] === 'string' ? answer['nextAfter'] : undefined };
  };

/** The filters named, as a form: a change reloads the page's panels through `onChange`. */
function filterForm(onChange: () => void, only?: readonly (keyof Filters)[]): HTMLElement {
  const form = element('form', { className: 'filters', id: 'filters' });
  const field = (label: string, name: keyof Filters, type: 'text' | 'date' | 'number', placeholder = ''): HTMLElement => {
    const input = element('input', { name, type, value: filters[name], placeholder, ...(type === 'number' ? { min: '1', max: '200' } : {}) });
    input.addEventListener('change', () => {
      filters[name] = input.value.trim();
      onChange();
    });
    return element('label', {}, label, input);
  };
  const fields: [keyof Filters, () => HTMLElement][] = [
    ['creditorId', () => field('Creditor', 'creditorId', 'text', 'creditor id')],
    ['product', () => field('Product', 'product', 'text', 'e.g. credit-card')],
    ['jurisdiction', () => field('Jurisdiction', 'jurisdiction', 'text', 'e.g. US or US-IL')],
    ['from', () => field('From', 'from', 'date')],
    ['to', () => field('To', 'to', 'date')],
    ['pageSize', () => field('Rows a page', 'pageSize', 'number')],
  ];
  form.append(...fields.filter(([name]) => only === undefined || only.includes(name)).map(([, make]) => make()));
  form.addEventListener('submit', (event) => event.preventDefault());
  return form;
}

// ---- pages -------------------------------------------------------------------------------------------------------

function loginPage(message = ''): void {
  const input = element('textarea', { id: 'token', rows: 4, placeholder: 'Paste the token the gateway printed for your role' });
  const error = element('p', { className: 'error', id: 'login-error', textContent: message });
  const form = element('form', { id: 'login' }, element('h1', { textContent: 'Sign in' }), element('label', {}, 'Role token', input), element('button', { type: 'submit', textContent: 'Sign in' }), error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      const session = signIn(input.value);
      location.hash = homeOf(session);
      start();
    } catch (failure) {
      error.textContent = failure instanceof Error ? failure.message : String(failure);
    }
  });
  app.replaceChildren(form);
}

const homeOf = (session: Session): string => (canSeeTeam(session) ? '#/team' : canSeeWorklists(session) ? '#/queue' : '#/case');

function teamPage(session: Session): void {
  const grid = element('div', { className: 'grid' });
  const fill = (): void => {
    panels = [];
    releaseCharts(grid);
    grid.replaceChildren(
      panel('Portfolio by aging bucket and risk tier', 'portfolio', async () => {
        const answer = await get<{ groups: Row[] }>(session, '/api/portfolio', accountFilters());
        const groups = answer.groups;
        const buckets = unique(groups.map((group) => String(group['agingBucket'] ?? 'unknown')));
        const tiers = unique(groups.map((group) => String(group['riskTier'] ?? 'unknown')));
        const series = tiers.map((tier) => ({ label: tier, values: buckets.map((bucket) => sum(groups.filter((group) => String(group['agingBucket'] ?? 'unknown') === bucket && String(group['riskTier'] ?? 'unknown') === tier), 'accounts')) }));
        return [barChart('Open accounts per aging bucket, stacked by risk tier', buckets, series), table(groups.map((group) => ({ ...group, total: money(group['total']) })), { name: 'portfolio', columns: ['currency', 'agingBucket', 'riskTier', 'accounts', 'total'] })];
      }),
      panel('Cases per workflow stage', 'stages', async () => {
        const counts = rowsOf(await get(session, '/api/workflow/stages', { product: filters.product, jurisdiction: filters.jurisdiction }));
        const durations = rowsOf(await get(session, '/api/workflow/stage-durations', { from: `${filters.from}T00:00:00.000Z`, to: `${filters.to}T23:59:59.999Z`, product: filters.product, jurisdiction: filters.jurisdiction }));
        return [
          barChart('Cases in each stage now', counts.map((row) => String(row['stage'])), [{ label: 'cases', values: counts.map((row) => Number(row['cases'] ?? 0)) }]),
          table(counts, { name: 'stages', columns: ['stage', 'cases'] }),
          element('h3', { textContent: 'Time in stage' }),
          table(durations, { name: 'stage-durations' }),
        ];
      }),
      panel('Collector leaderboard', 'leaderboard', async () => leaderboard(session)),
      ...(canSeeWorklists(session)
        ? [
            panel('Promises due today', 'promises-due', async () => [await pagedTable(keyset(session, '/api/promises/due', { day: today(), ...caseFilters() }), { name: 'promises-due', caseColumns: ['accountId', 'caseId'], empty: 'No promise falls due today.' })]),
            panel('Promises overdue (broken or in grace)', 'promises-overdue', async () => [await pagedTable(keyset(session, '/api/promises/overdue', { day: today(), ...caseFilters() }), { name: 'promises-overdue', caseColumns: ['accountId', 'caseId'], empty: 'No promise is overdue.' })]),
            panel('Promises broken yesterday', 'promises-broken', async () => [await pagedTable(keyset(session, '/api/promises/broken', { day: today(-1), ...caseFilters() }), { name: 'promises-broken', caseColumns: ['accountId', 'caseId'], empty: 'No promise broke yesterday.' })]),
          ]
        : []),
      panel('Legal handoffs in flight', 'legal', async () => {
        const shape = (row: Row): Row => ({ caseId: row['caseId'], handoff: row['handoff'], status: row['status'], age: hours(row['ageMs']), timeLeft: hours(row['timeLeftMs']), overdue: row['overdue'] });
        return [await pagedTable(keyset(session, '/api/legal/escalations', { inFlight: 'true', ...caseFilters() }, shape), { name: 'legal-in-flight', caseColumns: ['caseId'], empty: 'No handoff is waiting on its 48-hour deadline.' })];
      }),
      panel('Compliance', 'compliance', async () => compliance(session)),
      panel('Recovery-rate trend', 'recovery', async () => recovery(session)),
    );
  };
  app.replaceChildren(element('h1', { textContent: session.role === 'auditor' ? 'Oversight (read-only)' : 'Team' }), filterForm(fill), grid);
  fill();
}

/** The creditor, the product and the debtor's jurisdiction: portfolio, recovery, leaderboard and compliance. */
const accountFilters = (): Record<string, string> => ({ creditorId: filters.creditorId, product: filters.product, jurisdiction: filters.jurisdiction });
/** The creditor and the debtor's jurisdiction of a case: what the promise worklists and the legal handoffs take. */
const caseFilters = (): Record<string, string> => ({ creditorId: filters.creditorId, jurisdiction: filters.jurisdiction });

async function leaderboard(session: Session): Promise<Node[]> {
  const [rates, promises, days] = await Promise.all([
    get<{ byCollector: Row[] }>(session, '/api/contacts/right-party-rates', { from: filters.from, to: filters.to, ...accountFilters() }),
    get<{ groups: Row[] }>(session, '/api/promises/rates', { from: filters.from, to: filters.to, groupBy: 'operator', ...accountFilters() }),
    get(session, '/api/contacts/collector-days', { from: filters.from, to: filters.to, ...accountFilters() }),
  ]);
  const board = new Map<string, Row>();
  const of = (id: string): Row => board.get(id) ?? board.set(id, { collector: id, rightPartyContacts: 0, rightPartyRate: '', promises: 0, keptRate: '', collected: '', blocked: 0 }).get(id) as Row;
  for (const row of rates.byCollector) Object.assign(of(String(row['operatorId'])), { rightPartyContacts: row['rightPartyContacts'], rightPartyRate: percent(row['rate']) });
  for (const row of promises.groups) {
    if (row['key'] === null) continue;
    const amounts = (row['amounts'] as { currency: string; collected: number }[] | undefined) ?? [];
    Object.assign(of(String(row['key'])), { promises: row['made'], keptRate: percent(row['keptRate']), collected: amounts.map((amount) => `${money(amount.collected)} ${amount.currency}`).join(', ') });
  }
  for (const row of rowsOf(days)) {
    const entry = of(String(row['operatorId']));
    entry['blocked'] = Number(entry['blocked'] ?? 0) + Number(row['blocked'] ?? 0);
  }
  const rows = [...board.values()].sort((a, b) => Number(b['rightPartyContacts'] ?? 0) - Number(a['rightPartyContacts'] ?? 0));
  return [table(rows, { name: 'leaderboard', columns: ['collector', 'rightPartyContacts', 'rightPartyRate', 'promises', 'keptRate', 'collected', 'blocked'], empty: 'No contacts or promises in the period.' })];
}

async function compliance(session: Session): Promise<Node[]> {
  const report = await get<Json>(session, '/api/contacts/compliance-report', { from: filters.from, to: filters.to, ...accountFilters(), listLimit: '20' });
  const blocked = (report['blockedByRule'] as Row[] | undefined) ?? [];
  const contacts = (report['contacts'] ?? {}) as Row;
  const quiet = (report['quietHours'] ?? {}) as Row;
  const complaints = (report['complaints'] ?? {}) as Row;
  const handling = complaints['handlingSeconds'] as { median: number; max: number } | null | undefined;
  const language = (report['prohibitedLanguage'] as Row[] | undefined) ?? [];
  const summary: Row[] = [
    { figure: 'contacts allowed', value: contacts['allowed'] },
    { figure: 'contacts blocked', value: contacts['blocked'] },
    { figure: 'allowed contacts in quiet hours (must be 0)', value: quiet['violations'] },
    { figure: 'prohibited-language hits', value: language.reduce((total, row) => total + Number(row['hits'] ?? 0), 0) },
    { figure: 'complaints open', value: complaints['open'] },
    { figure: 'complaints received', value: complaints['received'] },
    { figure: 'complaint handling, median', value: handling == null ? '' : hours(handling.median * 1000) },
  ];
  return [
    barChart('Blocked contact requests by rule', blocked.map((row) => String(row['ruleId'])), [{ label: 'blocked', values: blocked.map((row) => Number(row['blocked'] ?? 0)) }]),
    table(summary, { name: 'compliance-summary' }),
    table(blocked, { name: 'blocked-by-rule', empty: 'Nothing was blocked in the period.' }),
  ];
}

/**
 * Per currency held (amounts of different currencies are never added): the cumulative recovery rate day by day over
 * the date range and month by month over the last twelve months, each against the target.
 */
async function recovery(session: Session): Promise<Node[]> {
  const portfolio = await get<{ currencies: Row[] }>(session, '/api/portfolio', accountFilters());
  const currencies = portfolio.currencies.map((row) => String(row['currency'])).slice(0, 3);
  if (currencies.length === 0) return [element('p', { className: 'empty', textContent: 'No open account: nothing to recover yet.' })];
  const [year, month] = today().split('-').map(Number) as [number, number];
  // The first day of the month eleven months back: twelve months with this one.
  const monthsFrom = new Date(Date.UTC(year, month - 12, 1)).toISOString().slice(0, 10);
  const nodes: Node[] = [];
  for (const currency of currencies) {
    const ask = (from: string, granularity: 'day' | 'month') =>
      get<{ target: number; periods: Row[] }>(session, '/api/portfolio/recovery', { from, to: filters.to, granularity, currency, ...accountFilters() });
    const [daily, monthly] = await Promise.all([ask(filters.from, 'day'), ask(monthsFrom, 'month')]);
    const rates = (answer: { target: number; periods: Row[] }) => [
      { label: 'recovered to date', values: answer.periods.map((row) => (typeof row['cumulativeRate'] === 'number' ? row['cumulativeRate'] : null)) },
      { label: 'target', values: answer.periods.map(() => answer.target), dashed: true },
    ];
    nodes.push(
      lineChart(`${currency}: recovery rate by day, against the target (${percent(daily.target)})`, daily.periods.map((row) => String(row['period'])), rates(daily)),
      lineChart(`${currency}: recovery rate by month`, monthly.periods.map((row) => String(row['period'])), rates(monthly)),
      table(
        monthly.periods.map((row) => ({
          currency,
          month: row['period'],
          collected: money(row['collected']),
          placedToDate: money(row['placedToDate']),
          rate: percent(row['rate']),
          cumulativeRate: percent(row['cumulativeRate']),
          target: percent(monthly.target),
        })),
        { name: `recovery-${currency}` },
      ),
    );
  }
  return nodes;
}

function queuePage(session: Session): void {
  const grid = element('div', { className: 'grid' });
  const fill = (): void => {
    panels = [];
    grid.replaceChildren(
      panel('My cases', 'my-cases', async () => [await pagedTable(keyset(session, '/api/me/cases'), { name: 'my-cases', caseColumns: ['caseId', 'accountId'], empty: 'No case is assigned to you.' })]),
      panel('My promises due today', 'promises-due', async () => [await pagedTable(keyset(session, '/api/promises/due', { day: today() }), { name: 'my-promises-due', caseColumns: ['accountId', 'caseId'], empty: 'No promise falls due today.' })]),
      panel('My overdue promises', 'promises-overdue', async () => [await pagedTable(keyset(session, '/api/promises/overdue', { day: today() }), { name: 'my-promises-overdue', caseColumns: ['accountId', 'caseId'], empty: 'No promise is overdue.' })]),
      panel('My overdue checklist items', 'overdue-items', async () => [await pagedTable(keyset(session, '/api/workflow/overdue-items'), { name: 'my-overdue-items', caseColumns: ['caseId'], empty: 'Nothing is overdue.' })]),
    );
  };
  // The worklists take no filter but the page size: a collector's own are all they see.
  app.replaceChildren(element('h1', { textContent: `My queue — ${session.name ?? session.operatorId}` }), filterForm(fill, ['pageSize']), grid);
  fill();
}

function casePage(session: Session, caseId: string): void {
  panels = [];
  pageCaseId = caseId || null;
  const lookup = element('form', { className: 'lookup', id: 'case-lookup' });
  const input = element('input', { name: 'caseId', value: caseId, placeholder: 'Case (account) id', size: 40 });
  lookup.append(element('label', {}, 'Case ', input), element('button', { type: 'submit', textContent: 'Open' }));
  lookup.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/case/${encodeURIComponent(input.value.trim())}`;
  });
  app.replaceChildren(element('h1', { textContent: 'Case' }), lookup);
  if (caseId === '') return;
  const content = element('div', { className: 'grid' });
  app.append(content);
  // The account first: a collector's other cases stop here, refused by the gateway (403), before any other panel.
  get(session, `/api/accounts/${encodeURIComponent(caseId)}`)
    .then(() => {
      const encoded = encodeURIComponent(caseId);
      content.append(
        panel('Account (personal data masked)', 'account', async () => {
          const account = await get(session, `/api/accounts/${encoded}`);
          return [keyValues((account['summary'] ?? account) as Json)];
        }),
        panel('Workflow', 'workflow', async () => {
          const workflow = await get(session, `/api/accounts/${encoded}/workflow`);
          return [keyValues({ stage: workflow['stage'], collectorId: workflow['collectorId'], profile: workflow['profile'], legal: workflow['legal'] }), table(rowsOf(workflow['checklist'] ?? []), { name: `case-${caseId}-checklist` })];
        }),
        panel('Contacts', 'contacts', async () => [table(rowsOf(await get(session, `/api/accounts/${encoded}/contacts`)), { name: `case-${caseId}-contacts`, empty: 'No contact yet.' })]),
        panel('Promises', 'promises', async () => [table(rowsOf(await get(session, `/api/accounts/${encoded}/promises`)), { name: `case-${caseId}-promises`, empty: 'No promise yet.' })]),
        ...(canReplay(session)
          ? [
              panel('Timeline (audit replay)', 'timeline', async () => {
                let total: unknown;
                // Paged by offset: the answer's nextOffset is the next page's.
                const entries = async (offset = '0'): Promise<Page> => {
                  const timeline = await get(session, `/api/audit/cases/${encoded}/timeline`, { offset, limit: filters.pageSize });
                  total = timeline['total'];
                  return { rows: rowsOf(timeline['entries']), next: typeof timeline['nextOffset'] === 'number' ? String(timeline['nextOffset']) : undefined };
                };
                const shown = await pagedTable(entries, { name: `case-${caseId}-timeline`, columns: ['time', 'recordedAt', 'type', 'service', 'stream', 'actor.id', 'actor.role', 'summary', 'reasons', 'position', 'eventId'] });
                return [element('p', { textContent: `${String(total ?? '')} events, replayed from the audit ledger (personal fields stay [encrypted])` }), shown];
              }, true),
            ]
          : []),
      );
    })
    .catch((error: unknown) => {
      const refusal = error instanceof ApiError && error.status === 403;
      content.append(element('p', { className: refusal ? 'refusal' : 'error', id: 'case-refusal', textContent: refusal ? `Not your case: ${error.message}` : errorNote(error).textContent ?? '' }));
    });
}

function keyValues(object: Json): HTMLElement {
  const list = element('dl', { className: 'kv' });
  for (const [key, value] of Object.entries(flatten(object))) {
    if (Array.isArray(value) && value.length > 5) continue;
    list.append(element('dt', { textContent: key }), element('dd', { textContent: typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '') }));
  }
  return list;
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];
const sum = (rows: readonly Row[], field: string): number => rows.reduce((total, row) => total + Number(row[field] ?? 0), 0);

// ---- live updates ------------------------------------------------------------------------------------------------

let stream: EventSource | null = null;
let pending: ReturnType<typeof setTimeout> | undefined;

/**
 * Server-sent events from the gateway: each names an event's type, stream and case; the page's panels reload. The
 * stream is opened with a ticket (the token never goes in a URL); a ticket lasts a minute, so when the browser's own
 * reconnection is refused a new ticket is fetched.
 */
function follow(session: Session): void {
  stream?.close();
  stream = null;
  void post<{ stream: string }>(session, '/api/events/tickets').then(
    (ticket) => {
      if (currentSession()?.token === session.token) openStream(ticket.stream, session);
    },
    () => {
      live.textContent = 'reconnecting…';
      setTimeout(() => (currentSession()?.token === session.token ? follow(session) : undefined), 5_000);
    },
  );
}

function openStream(url: string, session: Session): void {
  const source = new EventSource(url);
  stream = source;
  source.addEventListener('ready', () => (live.textContent = 'live'));
  source.addEventListener('error', () => {
    live.textContent = 'reconnecting…';
    // Closed for good (the ticket expired while the browser reconnected): a new ticket, unless signed out meanwhile.
    if (source.readyState === EventSource.CLOSED && stream === source) setTimeout(() => (stream === source && currentSession()?.token === session.token ? follow(session) : undefined), 3_000);
  });
  source.addEventListener('arrears', (message) => {
    const notice = JSON.parse((message as MessageEvent<string>).data) as { type: string; caseId: string | null };
    live.textContent = `live · ${notice.type}`;
    if (pageCaseId !== null && notice.caseId !== pageCaseId) return;
    // At most one reload every 1.5 s, however fast events come (an accelerated simulation sends hundreds a second).
    if (pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      panels.forEach((one) => one.reload());
    }, 1500);
  });
}

// ---- routing -----------------------------------------------------------------------------------------------------

function route(): void {
  const session = currentSession();
  if (session === null) {
    nav.replaceChildren();
    who.textContent = '';
    stream?.close();
    live.textContent = 'offline';
    loginPage();
    return;
  }
  who.textContent = `${session.name ?? session.operatorId} (${session.role})`;
  const signOutButton = element('button', { type: 'button', textContent: 'Sign out', id: 'sign-out' });
  signOutButton.addEventListener('click', () => {
    signOut();
    location.hash = '#/login';
    route();
  });
  nav.replaceChildren(
    ...(canSeeTeam(session) ? [element('a', { href: '#/team', textContent: 'Team' })] : []),
    ...(session.role === 'collector' ? [element('a', { href: '#/queue', textContent: 'My queue' })] : []),
    element('a', { href: '#/case', textContent: 'Case' }),
    signOutButton,
  );
  const [, page = '', id = ''] = location.hash.split('/');
  releaseCharts(app);
  pageCaseId = null;
  panels = [];
  if (page === 'team' && canSeeTeam(session)) teamPage(session);
  else if (page === 'queue' && session.role === 'collector') queuePage(session);
  else if (page === 'case') casePage(session, decodeURIComponent(id));
  else location.hash = homeOf(session);
}

function start(): void {
  const session = currentSession();
  if (session !== null) follow(session);
  route();
}

window.addEventListener('hashchange', route);
start();
