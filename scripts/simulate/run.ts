import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { runLegalDesk, scheduleLitigationReviews } from './back-office';
import { CollectorAgent } from './collector-agent';
import { gatherFacts } from './facts';
import { GatewayClient } from './gateway-client';
import { Observations } from './observations';
import type { SimulationOptions } from './options';
import { scheduleSelfCure } from './payments';
import { connectPlatform, launchPlatform, type RunningPlatform } from './platform';
import { generatePortfolio, placementOf, PRODUCT_MIX, totalPlaced, type SimAccount } from './portfolio';
import { Progress, type ProgressOutput } from './progress';
import { Random } from './random';
import { missingRoutes, REQUIRED_ROUTES, SIMULATOR_ROUTES, type RouteName } from './routes';
import { Limiter, Scheduler, SimClock } from './scheduler';
import { summarize, type Summary } from './summary';
import { collectorOperator, DAY_MS, expect, liveAccount, SUPERVISOR, SYSTEM, type LiveAccount, type World } from './world';

export interface SimulationIo {
  /** Progress and notes (stderr). */
  readonly err: ProgressOutput;
  /** Aborted to end the run early (SIGINT): the summary is still gathered, quickly. */
  readonly interrupt?: AbortSignal;
}

/** How many placements, and how many debtors' payments and back-office tasks, go to the gateway at once. */
const PLACEMENT_CONCURRENCY = 8;
const TASK_CONCURRENCY = 16;

/**
 * One simulation: the platform started with the accelerated clock (or the running one of `--gateway`), collectors
 * registered, the portfolio placed, then `days` of simulated time in which collectors work their queues, debtors
 * answer, promise, pay or do not, and the back office and legal do their part; at the end, the platform's account
 * of it gathered and the invariants checked. The platform is stopped again when the simulator started it.
 */
export async function runSimulation(options: SimulationOptions, env: NodeJS.ProcessEnv, io: SimulationIo): Promise<Summary> {
  const log = (message: string) => void io.err.write(`${message}\n`);
  const random = new Random(`arrears-simulation/${options.seed}`);
  // The seed fixes the portfolio and every choice; the ids come from a stream of their own, new each run, so a run
  // repeated against the same database does not collide with the last one.
  const portfolio = generatePortfolio(options.accounts, options.jurisdiction, random, randomUUID());
  const started = Date.now();
  log(options.gateway === undefined ? `starting the platform through the launcher at ${options.speed}×…` : `simulating against ${options.gateway}`);
  const platform: RunningPlatform = options.gateway === undefined ? await launchPlatform(options, env, log) : connectPlatform(options, env, log);
  try {
    const gateway = new GatewayClient({ url: platform.gatewayUrl, jwtSecret: platform.jwtSecret });
    const missing = missingRoutes(await gateway.openApi());
    const required = missing.filter((name) => REQUIRED_ROUTES.includes(name));
    if (required.length > 0) throw new Error(`the gateway has no route for ${required.join(', ')}: the simulation needs them`);
    if (missing.length > 0) log(`the gateway has no route for ${missing.join(', ')}: those parts of the model are left out`);
    const routes = new Set((Object.keys(SIMULATOR_ROUTES) as RouteName[]).filter((name) => !missing.includes(name)));
    const clock = new SimClock(platform.clock, platform.speed);
    const seen = new Observations();
    const collectors = Array.from({ length: options.collectors }, (_, index) => collectorOperator(index));
    await registerCollectors(gateway, options, collectors.map((operator) => operator.operatorId), log);
    const accounts = new Map<string, LiveAccount>(portfolio.map((account) => [account.accountId, liveAccount(account, random.fork(`debtor/${account.index}`))]));
    await place(gateway, portfolio, seen, io.err);
    const start = clock.now();
    const end = start + options.days * DAY_MS;
    const finish = new AbortController();
    // Every line of every collector, the scheduler and the legal desk wait on it.
    setMaxListeners(0, finish.signal);
    io.interrupt?.addEventListener('abort', () => finish.abort(), { once: true });
    const scheduler = new Scheduler(clock, TASK_CONCURRENCY, (error) => log(`a task failed: ${error instanceof Error ? error.message : String(error)}`));
    const world: World = { options, clock, gateway, seen, random, scheduler, accounts, routes, signal: finish.signal, end, log };
    for (const live of accounts.values()) if (seen.placed.has(live.sim.accountId)) scheduleSelfCure(world, live, start);
    if (routes.has('RequestLegalEscalation')) scheduleLitigationReviews(world, start);
    const agents = collectors.map((operator) => new CollectorAgent(world, operator));
    log(`simulating ${options.days} days from ${new Date(start).toISOString()} with ${agents.length} collectors`);
    const progress = new Progress(io.err, 'simulating');
    const ticker = setInterval(() => progress.update(clock.now() - start, end - start, progressDetail(seen, clock.now(), start, options.days)), 200);
    void clock.until(end, finish.signal).then(() => finish.abort());
    try {
      await Promise.all([...agents.map((agent) => agent.run()), runLegalDesk(world), scheduler.run(end, finish.signal)]);
    } finally {
      clearInterval(ticker);
      progress.update(clock.now() - start, end - start, progressDetail(seen, clock.now(), start, options.days));
      progress.done();
    }
    const simulatedTo = clock.now();
    const settling = new Progress(io.err, 'settling');
    let step = 0;
    const facts = await gatherFacts({
      gateway,
      routes,
      portfolio,
      seen,
      from: new Date(start - DAY_MS).toISOString(),
      to: () => new Date(clock.now()).toISOString(),
      deadline: Date.now() + (io.interrupt?.aborted === true ? 10_000 : options.settleSeconds * 1000),
      progress: (what) => settling.update((step += 1), 5, what),
    });
    settling.update(5, 5, 'done');
    settling.done();
    return summarize(
      {
        accounts: options.accounts,
        days: options.days,
        speed: platform.speed,
        jurisdiction: options.jurisdiction,
        seed: options.seed,
        collectors: agents.length,
        simulatedFrom: new Date(start).toISOString(),
        simulatedTo: new Date(simulatedTo).toISOString(),
        realSeconds: (Date.now() - started) / 1000,
        missingRoutes: missing,
        endedEarly: simulatedTo < end,
      },
      portfolio,
      seen,
      facts,
    );
  } finally {
    await platform.stop();
  }
}

function progressDetail(seen: Observations, now: number, start: number, days: number): string {
  const day = Math.min(days, (now - start) / DAY_MS);
  const recovered = seen.placedTotal === 0 ? 0 : (seen.collected / seen.placedTotal) * 100;
  return `day ${day.toFixed(1)}/${days}  ${seen.contacts.requested.toLocaleString('en')} contacts (${seen.contacts.blocked.toLocaleString('en')} blocked)  ${seen.paymentsAccepted.toLocaleString('en')} payments  ${recovered.toFixed(1)} % recovered`;
}

/**
 * The team: collectors with two products each as specialties (the commonest products first), and room for every
 * case with a fifth to spare, so that no case waits for a collector.
 */
async function registerCollectors(gateway: GatewayClient, options: SimulationOptions, ids: readonly string[], log: (message: string) => void): Promise<void> {
  const products = Object.entries(PRODUCT_MIX[options.jurisdiction])
    .sort((a, b) => b[1].share - a[1].share)
    .map(([product]) => product);
  const capacity = Math.ceil((options.accounts * 1.2) / ids.length) + 5;
  for (const [index, collectorId] of ids.entries()) {
    const answer = await gateway.call('RegisterCollector', SUPERVISOR, {
      body: { collectorId, name: `Simulated collector ${index + 1}`, specialties: [products[index % products.length], products[(index + 1) % products.length]], capacity },
    });
    if (!answer.ok && answer.error.code !== 'STATE_CONFLICT') throw new Error(`RegisterCollector ${collectorId}: ${answer.error.code} ${answer.error.message}`);
    if (!answer.ok) log(`collector ${collectorId} was registered before with other details: kept as it was`);
  }
}

async function place(gateway: GatewayClient, portfolio: readonly SimAccount[], seen: Observations, err: ProgressOutput): Promise<void> {
  const progress = new Progress(err, 'placing');
  const limiter = new Limiter(PLACEMENT_CONCURRENCY);
  let done = 0;
  await Promise.all(
    portfolio.map((account) =>
      limiter.run(async () => {
        const answer = await gateway.call('PlaceAccount', SYSTEM, { body: placementOf(account) });
        if (answer.ok) seen.placed.set(account.accountId, totalPlaced(account));
        else expect({ seen }, 'PlaceAccount', answer);
        progress.update((done += 1), portfolio.length, `${done.toLocaleString('en')}/${portfolio.length.toLocaleString('en')} accounts`);
      }),
    ),
  );
  progress.done();
  if (seen.placed.size < portfolio.length) err.write(`${portfolio.length - seen.placed.size} placement(s) refused; see the summary's unexpected answers\n`);
}
