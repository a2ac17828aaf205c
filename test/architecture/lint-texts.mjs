// Lints source snippets at virtual paths with the repository's own eslint.config.mjs and writes the findings as JSON.
// boundaries.int.spec.ts runs this in a child process: Jest cannot load an ES module config (ESLint imports it
// with a dynamic import(), which Jest refuses without --experimental-vm-modules), and a fresh process also
// means a fresh Nx project graph, built when the config loads, with the test's fixture projects in it.
//
// Usage: node lint-texts.mjs <output.json>
// stdin:  { "cwd": "/repo", "cases": { "<name>": { "filePath": "services/x/src/y.ts", "code": "..." } } }
// output: { "messages": { "<name>": [{ ruleId, message, severity }] }, "projects": { "<name>": ["tag", ...] } }
// (a file rather than stdout, because the Nx rule writes its own warnings to stdout)
import { readFileSync, writeFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { readCachedProjectGraph } from 'nx/src/devkit-exports';

const { cwd, cases } = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd });
const messages = {};
for (const [name, { filePath, code }] of Object.entries(cases)) {
  const [result] = await eslint.lintText(code, { filePath, warnIgnored: true });
  messages[name] = (result?.messages ?? []).map(({ ruleId, message, severity }) => ({ ruleId, message, severity }));
}
// The graph the Nx rule just read, so the test can tell a real pass from a rule that found no graph.
const graph = readCachedProjectGraph();
const projects = Object.fromEntries(Object.values(graph.nodes).map((node) => [node.name, node.data.tags ?? []]));
writeFileSync(process.argv[2], JSON.stringify({ messages, projects }));
