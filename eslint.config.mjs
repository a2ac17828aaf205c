// Lint for Arrears: typescript-eslint's recommended rules plus the architecture, checked rather than described.
// The rules are explained in docs/architecture.md ("Module boundaries"); test/architecture/ proves each one.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import { defineConfig } from 'eslint/config';
// `nx` is a pinned devDependency; @nx/devkit re-exports this same function from here.
import { createProjectGraphAsync } from 'nx/src/devkit-exports';
import tseslint from 'typescript-eslint';

const repoRoot = path.dirname(fileURLToPath(import.meta.url));

// @nx/enforce-module-boundaries reads the project graph cached in .nx/workspace-data and silently skips itself
// when there is none (a fresh clone) or checks against a stale one (a project added since the last nx run).
// Building the graph here keeps the cache current for every `eslint` run; Nx reuses what has not changed.
await createProjectGraphAsync({ exitOnError: true });

const DOCS = 'see docs/architecture.md';

/** Test-only code: it may also use the package's devDependencies and the workspace's root devDependencies. */
const TEST_SUPPORT_FILES = ['**/*.spec.ts', '**/conformance/**/*.ts', '**/bench/**/*.ts', '**/testing/**/*.ts'];

/** Pure domain code: every file under a `domain/` folder of a service's slice. */
const DOMAIN_FILES = ['services/*/src/**/domain/**/*.ts'];

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

const rootPackageJson = readJson(path.join(repoRoot, 'package.json'));

/** The package that owns `file`: the nearest package.json below the repository root, or undefined at the root. */
function owningPackage(file) {
  let dir = path.dirname(path.resolve(file));
  while (dir.startsWith(repoRoot + path.sep)) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) return { dir, json: readJson(candidate) };
    dir = path.dirname(dir);
  }
  return undefined;
}

/** `@scope/name/deep/path` → `@scope/name`; `name/deep` → `name`; relative, absolute and built-in → undefined. */
function packageNameOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtinModules.includes(name) ? undefined : name;
}

/** Calls `check(node, specifier)` for every static import, re-export, `import x = require()`, require() and import(). */
function visitModuleSpecifiers(check) {
  const literal = (node, source) => {
    if (source?.type === 'Literal' && typeof source.value === 'string') check(node, source.value);
  };
  return {
    ImportDeclaration: (node) => literal(node, node.source),
    ExportNamedDeclaration: (node) => literal(node, node.source),
    ExportAllDeclaration: (node) => literal(node, node.source),
    ImportExpression: (node) => literal(node, node.source),
    TSImportEqualsDeclaration: (node) => literal(node, node.moduleReference.expression),
    'CallExpression[callee.type="Identifier"][callee.name="require"]': (node) => literal(node, node.arguments[0]),
  };
}

// A package may import only what its own package.json declares, so that it installs and runs on its own
// and the workspace graph Nx builds from package.json files is the real one. @nx/dependency-checks cannot do
// this here: it only runs for projects with a build target (ours have none) and, without @nx/js, Nx does
// not read imports out of source files at all, so it would compare each package.json with itself.
const declaredDependencies = {
  meta: {
    type: 'problem',
    docs: { description: "Imports of other packages must be declared in the importing package's package.json" },
    schema: [{ type: 'object', properties: { testSupport: { type: 'boolean' } }, additionalProperties: false }],
    messages: {
      undeclared:
        '"{{name}}" is not declared in {{packageJson}} ({{sections}}). Declare it there, or do not import it ({{docs}}, "declared dependencies").',
    },
  },
  create(context) {
    const testSupport = context.options[0]?.testSupport === true;
    const owner = owningPackage(context.filename);
    if (!owner) return {};
    const sections = testSupport
      ? ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']
      : ['dependencies', 'peerDependencies', 'optionalDependencies'];
    const declared = new Set(sections.flatMap((section) => Object.keys(owner.json[section] ?? {})));
    // Test tooling (jest, fast-check, benchmark peers) is installed once at the root; internal packages never are.
    if (testSupport) for (const name of Object.keys(rootPackageJson.devDependencies ?? {})) declared.add(name);
    const packageJson = path.relative(repoRoot, path.join(owner.dir, 'package.json'));
    const where = testSupport ? `${sections.join(', ')}; or root package.json devDependencies` : sections.join(', ');
    return visitModuleSpecifiers((node, specifier) => {
      const name = packageNameOf(specifier);
      if (name === undefined || name === owner.json.name || declared.has(name)) return;
      context.report({ node, messageId: 'undeclared', data: { name, packageJson, sections: where, docs: DOCS } });
    });
  },
};

// Domain files may reach other files of their own domain folder by relative path, never the handlers,
// read models or wiring next to them (they would drag the infrastructure in through the back door).
const domainRelativeImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports in a domain/ folder stay inside that folder' },
    schema: [],
    messages: {
      escapes: '"{{specifier}}" leaves the domain folder {{domainDir}}. Domain code imports only @arrears/contracts and other files of its domain folder ({{docs}}, "domain purity").',
    },
  },
  create(context) {
    const file = path.resolve(context.filename);
    const segments = file.split(path.sep);
    const at = segments.lastIndexOf('domain', segments.length - 2);
    if (at < 0) return {};
    const domainDir = segments.slice(0, at + 1).join(path.sep);
    return visitModuleSpecifiers((node, specifier) => {
      if (!specifier.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), specifier);
      if (target === domainDir || target.startsWith(domainDir + path.sep)) return;
      context.report({ node, messageId: 'escapes', data: { specifier, domainDir: path.relative(repoRoot, domainDir), docs: DOCS } });
    });
  },
};

const arrears = { meta: { name: 'arrears' }, rules: { 'declared-dependencies': declaredDependencies, 'domain-relative-imports': domainRelativeImports } };

const moduleBoundaries = {
  // Our libraries are consumed from source (package.json "main" is src/index.ts); none is built.
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    // The published language depends on no other project.
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
    // Infrastructure packages build on the language and on each other.
    { sourceTag: 'type:shared', onlyDependOnLibsWithTags: ['type:contracts', 'type:shared'] },
    // A service reaches other services only through contracts and NATS, never by import.
    { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:shared'] },
  ],
};

const domainPurity = (what) =>
  `Domain purity (${DOCS}): code in services/<name>/src/<slice>/domain/ is pure and must not import ${what}. Do I/O in the slice's handlers or read models and pass the results in.`;

export default defineConfig(
  {
    ignores: ['**/node_modules/', '**/dist/', '**/.nx/', '**/coverage/', '**/bench-results/', '.arrears/', 'test/fixtures/'],
  },
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx, arrears },
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries],
      'arrears/declared-dependencies': 'error',
      // A leading underscore marks a name kept on purpose: a destructured field left out of a rest, an unused parameter.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // A benchmark measures its package from the outside, through the package's public name.
    files: ['**/bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { ...moduleBoundaries, allowCircularSelfDependency: true }] },
  },
  {
    files: TEST_SUPPORT_FILES,
    rules: { 'arrears/declared-dependencies': ['error', { testSupport: true }] },
  },
  {
    files: DOMAIN_FILES,
    rules: {
      'arrears/domain-relative-imports': 'error',
      // A dynamic import() would get past the import rules below.
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: domainPurity('anything dynamically with import()') }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^@nestjs/', message: domainPurity('NestJS') },
            { regex: '^(pg|pg-[^/]+|typeorm|nats)(/|$)', message: domainPurity('database or messaging clients') },
            { regex: '^@(eventstore|kurrent)/', message: domainPurity('the EventStoreDB client') },
            { regex: '^@opentelemetry/', message: domainPurity('OpenTelemetry') },
            {
              regex: '^(node:)?(fs|net|http|https|http2|dgram|dns|tls|child_process|worker_threads)(/|$)',
              message: domainPurity('file, network or process APIs'),
            },
            { regex: '^@arrears/(?!contracts$)', message: domainPurity('shared/* packages or other services (only @arrears/contracts)') },
          ],
        },
      ],
    },
  },
);
