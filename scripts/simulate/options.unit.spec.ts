import { parseSimulationArgs, UsageError } from './options';
import { missingRoutes, pathOf, REQUIRED_ROUTES, SIMULATOR_ROUTES } from './routes';

const refusal = (argv: string[]) => {
  try {
    parseSimulationArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
};

describe('npm run simulate -- options', () => {
  it('defaults to 200 US accounts for 30 days at an hour a second, seed 1, against a platform it starts', () => {
    expect(parseSimulationArgs([])).toEqual({
      accounts: 200,
      days: 30,
      speed: 3600,
      jurisdiction: 'US',
      seed: '1',
      gateway: undefined,
      start: undefined,
      collectors: 2,
      json: undefined,
      settleSeconds: 300,
      singleProcess: false,
    });
  });

  it('takes each option as the issue writes it', () => {
    const options = parseSimulationArgs(['--accounts', '5000', '--days', '120', '--speed', '3600', '--jurisdiction', 'cn', '--seed', '42', '--json', 'out.json', '--gateway', 'http://127.0.0.1:3000/', '--start', '2026-03-02T00:00:00+08:00']);
    expect(options).toMatchObject({ accounts: 5000, days: 120, speed: 3600, jurisdiction: 'CN', seed: '42', json: 'out.json', gateway: 'http://127.0.0.1:3000', start: '2026-03-01T16:00:00.000Z', collectors: 50 });
    expect(parseSimulationArgs(['--help'])).toBe('help');
  });

  it.each([
    [['--accounts', '0'], /--accounts must be a whole number from 1/],
    [['--days', '1.5'], /--days must be a whole number/],
    [['--speed=-1'], /--speed must be a number above 0/],
    [['--speed', '0'], /--speed must be a number above 0/],
    [['--jurisdiction', 'GB'], /--jurisdiction must be US or CN/],
    [['--start', '2026-03-02'], /--start must be an instant with an offset/],
    [['--gateway', 'localhost:3000'], /--gateway must be the gateway's URL/],
    [['--seed', 'a b'], /--seed must be a number/],
    [['--acounts', '5'], /Unknown option '--acounts'/],
  ])('refuses %j, saying why', (argv, message) => {
    expect(refusal(argv)).toMatch(message);
  });
});

describe("the simulator's gateway routes", () => {
  const document = (entries: Record<string, string[]>) => ({ paths: Object.fromEntries(Object.entries(entries).map(([path, methods]) => [path, Object.fromEntries(methods.map((m) => [m, {}]))])) });

  it('are looked up in the OpenAPI document by path and method', () => {
    const all: Record<string, string[]> = {};
    for (const { method, path } of Object.values(SIMULATOR_ROUTES)) (all[path.replace(/:([A-Za-z]+)/g, '{$1}')] ??= []).push(method.toLowerCase());
    expect(missingRoutes(document(all))).toEqual([]);
    const withoutLegal = Object.fromEntries(Object.entries(all).filter(([path]) => !path.includes('legal')));
    expect(missingRoutes(document(withoutLegal))).toEqual(['RequestLegalEscalation', 'Escalations', 'AcknowledgeHandoff']);
    expect(missingRoutes(document({ '/api/accounts': ['get'] }))).toEqual(expect.arrayContaining([...REQUIRED_ROUTES.filter((name) => name !== 'ListAccounts')]));
  });

  it('fill their path parameters, encoded', () => {
    expect(pathOf('RecordAttemptOutcome', { accountId: 'a1', contactId: 'c/2' })).toBe('/api/accounts/a1/contacts/c%2F2/outcome');
    expect(() => pathOf('PostPayment')).toThrow('PostPayment needs the path parameter accountId');
  });
});
