/**
 * The architecture rules of docs/architecture.md ("Module boundaries"), proven against the repository's own
 * eslint.config.mjs: each case lints a snippet at a virtual path inside a real project and names the rule that
 * must fire, or expects no finding at all.
 *
 * Services do not exist yet, so two throwaway service projects (project.json + package.json, tagged
 * type:service) are written under services/ for the length of this file and removed afterwards. Nx finds
 * projects on disk, and the lint rule reads the graph Nx caches in .nx/: the config rebuilds that graph each
 * time it loads, the linting runs in a fresh process started after the fixtures exist, and the test checks that
 * the graph the rule read really contains them, so a stale or missing graph fails here instead of passing.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');
const FIXTURE_PREFIX = 'arch-fixture-';

interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  readonly severity: number;
}

interface LintRun {
  readonly messages: Record<string, LintMessage[]>;
  readonly projects: Record<string, string[]>;
}

interface FixtureService {
  readonly name: string;
  readonly root: string;
  readonly packageName: string;
  readonly dependencies: Record<string, string>;
}

const suffix = randomBytes(4).toString('hex');

function fixtureService(role: string, dependencies: Record<string, string>): FixtureService {
  const name = `${FIXTURE_PREFIX}${role}-${suffix}`;
  return { name, root: `services/${name}`, packageName: `@arrears/${name}`, dependencies };
}

function writeFixture({ name, root, packageName, dependencies }: FixtureService): void {
  const dir = path.join(repoRoot, root);
  mkdirSync(dir);
  const tags = ['type:service', `scope:${name}`];
  // No projectType: with "application", Nx's own "Imports of apps are forbidden" would answer first and hide
  // whether the type:service constraint holds; the constraint is what protects a service of either kind.
  writeFileSync(path.join(dir, 'project.json'), JSON.stringify({ name, sourceRoot: `${root}/src`, tags }, null, 2));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: packageName, version: '0.1.0', private: true, main: 'src/main.ts', dependencies }, null, 2),
  );
}

/** A run killed half-way leaves its fixtures behind; clear those (never a concurrent run's: they are young). */
function removeAbandonedFixtures(): void {
  const services = path.join(repoRoot, 'services');
  for (const entry of readdirSync(services)) {
    const dir = path.join(services, entry);
    if (entry.startsWith(FIXTURE_PREFIX) && Date.now() - statSync(dir).mtimeMs > 10 * 60_000) rmSync(dir, { recursive: true, force: true });
  }
}

function lintSnippets(cases: Record<string, { filePath: string; code: string }>): LintRun {
  const out = mkdtempSync(path.join(tmpdir(), 'arrears-arch-'));
  try {
    const output = path.join(out, 'lint.json');
    execFileSync(process.execPath, [path.join(__dirname, 'lint-texts.mjs'), output], {
      cwd: repoRoot,
      input: JSON.stringify({ cwd: repoRoot, cases }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return JSON.parse(readFileSync(output, 'utf8')) as LintRun;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function refreshProjectGraph(): void {
  execFileSync(process.execPath, ['-e', "require('nx/src/devkit-exports').createProjectGraphAsync({ exitOnError: true })"], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
}

const lines = (...source: string[]): string => `${source.join('\n')}\n`;

// Another service: nothing but the language.
const ledger = fixtureService('ledger', { '@arrears/contracts': '0.1.0' });
// A project that depends on nothing internal, so importing it closes no cycle and only its tag can refuse it.
const island = fixtureService('island', {});
// A service that declares everything its files import, so that each case below trips exactly one rule.
const billing = fixtureService('billing', {
  '@arrears/contracts': '0.1.0',
  '@arrears/event-store': '0.1.0',
  [ledger.packageName]: '0.1.0',
  '@nestjs/common': '11.2.10',
  pg: '8.23.1',
});
const slice = `${billing.root}/src/promise`;
const domainFile = `${slice}/domain/decide.ts`;

const cases = {
  contractsImportsEventStore: {
    filePath: 'contracts/src/arch-probe.ts',
    code: lines("import { InMemoryEventStore } from '@arrears/event-store';", 'export const probe = InMemoryEventStore;'),
  },
  contractsImportsIsland: {
    filePath: 'contracts/src/arch-probe.ts',
    code: lines(`import { start } from '${island.packageName}';`, 'export const probe = start;'),
  },
  sharedImportsService: {
    filePath: 'shared/testing/src/arch-probe.ts',
    code: lines(`import { start } from '${ledger.packageName}';`, 'export const probe = start;'),
  },
  sharedImportsUndeclaredInternal: {
    filePath: 'shared/event-store/src/arch-probe.ts',
    code: lines("import { eventually } from '@arrears/testing';", 'export const probe = eventually;'),
  },
  sharedSpecImportsDevDependency: {
    filePath: 'shared/event-store/src/arch-probe.unit.spec.ts',
    code: lines("import { eventually } from '@arrears/testing';", 'export const probe = eventually;'),
  },
  serviceImportsService: {
    filePath: `${slice}/handlers.ts`,
    code: lines(`import { start } from '${ledger.packageName}';`, 'export const probe = start;'),
  },
  serviceImportsContractsAndShared: {
    filePath: `${slice}/handlers.ts`,
    code: lines(
      "import { Injectable } from '@nestjs/common';",
      "import { ErrorCode } from '@arrears/contracts';",
      "import { InMemoryEventStore } from '@arrears/event-store';",
      "import { decide } from './domain/decide';",
      '@Injectable()',
      'export class Handlers {',
      '  readonly parts = [ErrorCode, InMemoryEventStore, decide];',
      '}',
    ),
  },
  serviceReachesIntoSharedByRelativePath: {
    filePath: `${slice}/handlers.ts`,
    code: lines("import { InMemoryEventStore } from '../../../../shared/event-store/src/memory/memory-event-store';", 'export const probe = InMemoryEventStore;'),
  },
  serviceImportsUndeclaredExternal: {
    filePath: `${slice}/handlers.ts`,
    code: lines("import { connect } from 'nats';", 'export const probe = connect;'),
  },
  domainImportsPg: {
    filePath: domainFile,
    code: lines("import type { Pool } from 'pg';", 'export type Probe = Pool;'),
  },
  domainImportsNest: {
    filePath: domainFile,
    code: lines("import { Injectable } from '@nestjs/common';", 'export const probe = Injectable;'),
  },
  domainImportsSharedPackage: {
    filePath: domainFile,
    code: lines("import { InMemoryEventStore } from '@arrears/event-store';", 'export const probe = InMemoryEventStore;'),
  },
  domainImportsFs: {
    filePath: domainFile,
    code: lines("import { readFileSync } from 'node:fs';", 'export const probe = readFileSync;'),
  },
  domainImportsDynamically: {
    filePath: domainFile,
    code: lines("export const load = () => import('pg');"),
  },
  domainImportsHandlers: {
    filePath: domainFile,
    code: lines("import { Handlers } from '../handlers';", 'export const probe = Handlers;'),
  },
  domainImportsContractsAndSiblings: {
    filePath: domainFile,
    code: lines(
      "import { ErrorCode, type EventEnvelope } from '@arrears/contracts';",
      "import { evolve } from './promise';",
      'export const decide = (events: readonly EventEnvelope[]) => [ErrorCode.VALIDATION_FAILED, evolve, events.length];',
    ),
  },
} satisfies Record<string, { filePath: string; code: string }>;

let run: LintRun;

beforeAll(() => {
  removeAbandonedFixtures();
  writeFixture(ledger);
  writeFixture(billing);
  writeFixture(island);
  run = lintSnippets(cases);
}, 120_000);

afterAll(() => {
  for (const service of [billing, ledger, island]) rmSync(path.join(repoRoot, service.root), { recursive: true, force: true });
  // Leave no trace of the fixtures in the cached graph either.
  refreshProjectGraph();
}, 60_000);

function findings(name: keyof typeof cases): { ruleId: string | null; message: string }[] {
  const messages = run.messages[name];
  if (messages === undefined) throw new Error(`no lint result for ${name}`);
  return messages.map(({ ruleId, message }) => ({ ruleId, message })).sort((a, b) => String(a.ruleId).localeCompare(String(b.ruleId)));
}

const finding = (ruleId: string, message: string | RegExp) => ({
  ruleId,
  message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
});

const DOMAIN_PURITY = 'Domain purity';

describe('the project graph the lint rule read', () => {
  it('holds the real projects and the fixture services with their tags', () => {
    expect(run.projects).toMatchObject({
      contracts: expect.arrayContaining(['type:contracts']),
      'event-store': expect.arrayContaining(['type:shared']),
      testing: expect.arrayContaining(['type:shared']),
      [billing.name]: expect.arrayContaining(['type:service']),
      [ledger.name]: expect.arrayContaining(['type:service']),
      [island.name]: expect.arrayContaining(['type:service']),
    });
    expect(existsSync(path.join(repoRoot, billing.root, 'project.json'))).toBe(true);
  });
});

describe('contracts imports nothing internal', () => {
  it('rejects @arrears/event-store (a cycle, and undeclared)', () => {
    expect(findings('contractsImportsEventStore')).toEqual([
      finding('@nx/enforce-module-boundaries', 'Circular dependency between "contracts" and "event-store"'),
      finding('arrears/declared-dependencies', '"@arrears/event-store" is not declared in contracts/package.json'),
    ]);
  });

  it('rejects any tagged project by its tag, even without a cycle', () => {
    expect(findings('contractsImportsIsland')).toEqual([
      finding('@nx/enforce-module-boundaries', 'A project tagged with "type:contracts" cannot depend on any libs with tags'),
      finding('arrears/declared-dependencies', `"${island.packageName}" is not declared in contracts/package.json`),
    ]);
  });
});

describe('shared packages import contracts and each other, as declared', () => {
  it('rejects a service', () => {
    expect(findings('sharedImportsService')).toEqual([
      finding('@nx/enforce-module-boundaries', 'A project tagged with "type:shared" can only depend on libs tagged with "type:contracts", "type:shared"'),
      finding('arrears/declared-dependencies', `"${ledger.packageName}" is not declared in shared/testing/package.json`),
    ]);
  });

  it('rejects an internal package its package.json does not declare for production code', () => {
    expect(findings('sharedImportsUndeclaredInternal')).toEqual([
      finding('arrears/declared-dependencies', '"@arrears/testing" is not declared in shared/event-store/package.json'),
    ]);
  });

  it('lets a spec file use the devDependencies', () => {
    expect(findings('sharedSpecImportsDevDependency')).toEqual([]);
  });
});

describe('a service imports contracts and shared packages, never another service', () => {
  it('rejects another service', () => {
    expect(findings('serviceImportsService')).toEqual([
      finding('@nx/enforce-module-boundaries', 'A project tagged with "type:service" can only depend on libs tagged with "type:contracts", "type:shared"'),
    ]);
  });

  it('accepts contracts, a shared package and NestJS outside the domain folder', () => {
    expect(findings('serviceImportsContractsAndShared')).toEqual([]);
  });

  it('rejects a relative path into another project', () => {
    expect(findings('serviceReachesIntoSharedByRelativePath')).toEqual([
      finding('@nx/enforce-module-boundaries', 'Projects cannot be imported by a relative or absolute path'),
    ]);
  });

  it('rejects an external package its package.json does not declare', () => {
    expect(findings('serviceImportsUndeclaredExternal')).toEqual([
      finding('arrears/declared-dependencies', `"nats" is not declared in ${billing.root}/package.json`),
    ]);
  });
});

describe('a slice domain folder stays pure', () => {
  it('rejects pg, even as a type', () => {
    expect(findings('domainImportsPg')).toEqual([finding('@typescript-eslint/no-restricted-imports', DOMAIN_PURITY)]);
  });

  it('rejects NestJS', () => {
    expect(findings('domainImportsNest')).toEqual([finding('@typescript-eslint/no-restricted-imports', DOMAIN_PURITY)]);
  });

  it('rejects shared packages, which carry infrastructure', () => {
    expect(findings('domainImportsSharedPackage')).toEqual([finding('@typescript-eslint/no-restricted-imports', DOMAIN_PURITY)]);
  });

  it('rejects file and network APIs', () => {
    expect(findings('domainImportsFs')).toEqual([finding('@typescript-eslint/no-restricted-imports', DOMAIN_PURITY)]);
  });

  it('rejects a dynamic import(), which the import rules cannot see', () => {
    expect(findings('domainImportsDynamically')).toEqual([finding('no-restricted-syntax', DOMAIN_PURITY)]);
  });

  it('rejects a relative import out of the domain folder', () => {
    expect(findings('domainImportsHandlers')).toEqual([finding('arrears/domain-relative-imports', '"../handlers" leaves the domain folder')]);
  });

  it('accepts @arrears/contracts and sibling domain files', () => {
    expect(findings('domainImportsContractsAndSiblings')).toEqual([]);
  });
});
