#!/usr/bin/env node
// `npm run test:conformance`: the event store conformance suite against every adapter this machine can reach,
// saying which ran and which were skipped and why.
import { spawnSync } from 'node:child_process';

const adapters = [
  { name: 'in-memory', runs: true, why: 'always' },
  { name: 'PostgreSQL', runs: true, why: `always, at ${redact(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')}` },
  process.env.EVENTSTOREDB_URL
    ? { name: 'EventStoreDB', runs: true, why: `EVENTSTOREDB_URL=${redact(process.env.EVENTSTOREDB_URL)}` }
    : { name: 'EventStoreDB', runs: false, why: 'EVENTSTOREDB_URL is not set (no server on this machine); its mapping code runs in the unit tests' },
];

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function table(title) {
  console.log(`\n${title}`);
  for (const adapter of adapters) console.log(`  ${adapter.runs ? 'run ' : 'skip'}  ${adapter.name.padEnd(13)} ${adapter.why}`);
}

table('Event store conformance: adapters');
const jest = spawnSync(
  'npx',
  ['jest', '--selectProjects', 'unit', 'int', '--runInBand', '--testPathPatterns', 'conformance', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
table(`Event store conformance: ${jest.status === 0 ? 'passed' : 'FAILED'} on every adapter marked "run"`);
process.exit(jest.status ?? 1);
