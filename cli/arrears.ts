// `npm run arrears -- <area> <command> [options]`: the operator's command line. Each area lives with its package.
const areas: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  relay: () => import('@arrears/messaging/src/relay/relay-cli'),
  dlq: () => import('@arrears/messaging/src/consumers/dead-letters-cli'),
  legal: () => import('@arrears/legal-escalation/src/evidence/evidence-cli'),
  audit: () => import('@arrears/audit/src/audit-cli'),
  migrate: () => import('./migrate-cli'),
};

async function run(argv: string[]): Promise<number> {
  const [area, ...rest] = argv;
  const load = area === undefined ? undefined : areas[area];
  if (load === undefined) {
    process.stderr.write(`usage: npm run arrears -- <${Object.keys(areas).join('|')}> <command> [options]\n`);
    return 2;
  }
  return (await load()).main(rest);
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
